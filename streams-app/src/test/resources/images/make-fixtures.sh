#!/bin/sh
# Makes the image fixtures of ImageFormatsTest with real encoders (Debian 12: apt-get install imagemagick webp
# libimage-exiftool-perl). The files are committed, so the tests and CI need none of these tools; run this
# again only to change a fixture. ImageMagick 6.9.11, cwebp/img2webp 1.2.4, exiftool 12.57 made the committed ones.
set -eu
cd "$(dirname "$0")"
IM=/usr/bin/convert # the real ImageMagick, not a stand-in earlier on the PATH

# upright: what a viewer shows. 96 x 64, a white square top left, a grey bar top right: every one of the
# 8 orientations puts them somewhere else.
$IM -size 96x64 xc:black -fill white -draw "rectangle 0,0 31,31" -fill gray50 -draw "rectangle 64,0 95,15" upright.png

# orientation-N.jpg: the pixels a camera stores for orientation N (the inverse of what a viewer applies), plus
# the EXIF Orientation tag N, so that a viewer that honours the tag shows `upright`.
inverse() {
  case $1 in
    1) echo "" ;; 2) echo "-flop" ;; 3) echo "-rotate 180" ;; 4) echo "-flip" ;;
    5) echo "-transpose" ;; 6) echo "-rotate 270" ;; 7) echo "-transverse" ;; 8) echo "-rotate 90" ;;
  esac
}
for n in 1 2 3 4 5 6 7 8; do
  # shellcheck disable=SC2046
  $IM upright.png $(inverse $n) -strip -quality 95 orientation-$n.jpg
  exiftool -q -overwrite_original -n "-Orientation=$n" orientation-$n.jpg
done

# a photo-like frame (smooth shading and shapes) as baseline JPEG, progressive JPEG and PNG
$IM -size 320x240 gradient:navy-orange -fill white -draw "circle 100,120 100,60" \
    -fill darkgreen -draw "rectangle 200,40 300,200" -strip photo.png
$IM photo.png -quality 90 -strip photo.jpg
$IM photo.png -quality 90 -interlace JPEG -strip photo-progressive.jpg

# cut short: the first 55% of the bytes, as a stalled upload leaves them
cut55() { head -c $(( $(stat -c %s "$1") * 55 / 100 )) "$1" > "$2"; }
cut55 photo.jpg truncated.jpg
cut55 photo-progressive.jpg truncated-progressive.jpg
cut55 photo.png truncated.png

# corrupt scan data: 64 bytes of 0xA5 written over the middle of the entropy-coded data (headers intact)
cp photo.jpg corrupt-scan.jpg
size=$(stat -c %s photo.jpg)
head -c 64 /dev/zero | tr '\0' '\245' | dd of=corrupt-scan.jpg bs=1 seek=$(( size / 2 )) conv=notrunc status=none

# the other formats, through their own encoders
cwebp -quiet -q 90 photo.png -o photo-lossy.webp
cwebp -quiet -lossless photo.png -o photo-lossless.webp
$IM photo.png -compress LZW photo.tiff
$IM photo.png -resize 50% BMP3:photo.bmp # half size: an uncompressed BMP is large
cut55 photo-lossy.webp truncated.webp

# animated: frame 1 white on the left half, frame 2 white on the right half
$IM -size 64x64 xc:black -fill white -draw "rectangle 0,0 31,63" frame1.png
$IM -size 64x64 xc:black -fill white -draw "rectangle 32,0 63,63" frame2.png
img2webp -loop 0 -lossless -d 200 frame1.png frame2.png -o animated.webp
$IM -delay 20 frame1.png frame2.png -loop 0 animated.gif
rm frame1.png frame2.png
