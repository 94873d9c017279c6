#!/bin/sh
# Fixtures of JpegDcReaderTest, made with libjpeg-turbo's own tools (Debian 12: apt-get install imagemagick
# libjpeg-turbo-progs; libjpeg-turbo 2.1.5 made the committed ones). Each JPEG comes with its reference: the
# 1/8-scale grey image djpeg decodes from it (libjpeg's 1x1 inverse DCT: the 8 x 8 block means of the luma).
set -eu
cd "$(dirname "$0")"
IM=/usr/bin/convert # the real ImageMagick
$IM ../photo.png -crop 317x239+0+0 +repage ppm:odd.ppm           # sizes that end in part-filled MCUs
$IM ../photo.png ppm:photo.ppm
cat > sequential-scans.txt <<SCANS
0;
1;
2;
SCANS
cjpeg -quality 85 photo.ppm > c420.jpg                            # 2x2 luma sampling, one interleaved scan
cjpeg -quality 85 -sample 1x1 photo.ppm > c444.jpg
cjpeg -quality 85 -sample 2x1 -restart 3B odd.ppm > c422-restart.jpg # a restart marker every 3 MCUs
cjpeg -quality 70 -restart 1 odd.ppm > c420-restart-rows.jpg      # a restart marker every MCU row
cjpeg -quality 90 -grayscale odd.ppm > grey.jpg                   # one component
cjpeg -quality 85 -scans sequential-scans.txt photo.ppm > c420-three-scans.jpg # a scan per component
cjpeg -quality 85 -progressive photo.ppm > progressive.jpg        # left to ImageIO
for f in c420 c444 c422-restart c420-restart-rows grey c420-three-scans; do
  djpeg -scale 1/8 -grayscale -pnm $f.jpg > $f.pgm
done
# the data cut short, and corrupt scan data, in a JPEG with restart markers
head -c $(( $(stat -c %s c420-restart-rows.jpg) * 55 / 100 )) c420-restart-rows.jpg > truncated-restart.jpg
cp c420-restart-rows.jpg corrupt-restart.jpg
size=$(stat -c %s c420-restart-rows.jpg)
head -c 64 /dev/zero | tr '\0' '\245' | dd of=corrupt-restart.jpg bs=1 seek=$(( size / 2 )) conv=notrunc status=none
rm odd.ppm photo.ppm sequential-scans.txt
