package io.lfvit.app.image;

import java.util.ArrayList;
import java.util.List;

/**
 * The luma of a baseline JPEG at 1/8 scale, from the DC coefficients alone: each 8 x 8 block's mean, as
 * libjpeg's own 1/8 scaling gives it ({@code djpeg -scale 1/8 -grayscale}, the test's reference). A
 * camera frame is many times the model's input; the inverse DCT of every block, which the JDK's decoder
 * runs before it can subsample, is most of what decoding a 1920 x 1080 frame costs. Here the entropy-coded
 * data is read once (the AC coefficients are skipped, not transformed) and nothing else is computed.
 *
 * <p>Why not a library: ImageIO's JPEG reader (the JDK's libjpeg 6b; TwelveMonkeys delegates to it) has
 * no DCT scaling, and OpenCV's {@code IMREAD_REDUCED_*} (libjpeg-turbo) does not say when an image
 * decoded only in part, which our dead letters require. Like libjpeg, this reader warns, and goes on, when
 * the data ends early, a Huffman code or a coefficient run is invalid, a restart marker is missing or
 * bytes are left over: every warning makes the image PARTIAL, as ImageIO's warnings do.
 *
 * <p>It reads baseline and extended sequential Huffman JPEGs of 8-bit samples whose first component (luma,
 * or the only one) has the largest sampling factors; for anything else (progressive, arithmetic, lossless,
 * 12-bit) {@link #read} returns null and the caller decodes with ImageIO.
 */
final class JpegDcReader {
    /** Luma block means, row-major {@code width x height}, and the decoder's warnings. */
    record Result(byte[] luma, int width, int height, int imageWidth, int imageHeight, List<String> warnings) {}

    /** What the frame header says: the image's size, read before any pixel (the pixel limit is checked on it). */
    record Header(int width, int height) {}

    private final byte[] data;
    private int pos;
    private final List<String> warnings = new ArrayList<>();

    private final int[][] quant = new int[4][];
    private final Huffman[] dcTables = new Huffman[4];
    private final Huffman[] acTables = new Huffman[4];
    private int restartInterval;
    private int width;
    private int height;
    private Component[] components;
    private int maxH;
    private int maxV;
    private byte[] luma;
    private int lumaBlocksX;
    private int lumaBlocksY;

    private static final class Component {
        int id;
        int h;
        int v;
        int quantTable;
        int dcTable;
        int acTable;
        int blocksX; // blocks with image data, across and down
        int blocksY;
        int dcPredictor;
    }

    private JpegDcReader(byte[] data) {
        this.data = data;
    }

    /** Whether the bytes start like a JPEG (SOI then a marker). */
    static boolean isJpeg(byte[] bytes) {
        return bytes.length > 3 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8 && (bytes[2] & 0xff) == 0xFF;
    }

    /**
     * The frame header of a JPEG this reader can read, or null (another coding, or no frame header in
     * the first segments). Cheap: the segments before the first scan.
     */
    static Header header(byte[] jpeg) {
        try {
            JpegDcReader r = new JpegDcReader(jpeg);
            return r.readSegmentsUntilScan(false) ? new Header(r.width, r.height) : null;
        } catch (FormatException | RuntimeException e) {
            return null; // malformed segments (a table past its end, ...): ImageIO gives the verdict
        }
    }

    /** The 1/8-scale luma, or null when the JPEG is of a coding this reader leaves to ImageIO. */
    static Result read(byte[] jpeg) throws FormatException {
        JpegDcReader r = new JpegDcReader(jpeg);
        return r.decode();
    }

    /** The bytes are not a JPEG this reader can make sense of (the caller lets ImageIO say why). */
    static final class FormatException extends Exception {
        FormatException(String message) {
            super(message);
        }
    }

    private Result decode() throws FormatException {
        if (!readSegmentsUntilScan(true)) {
            return null;
        }
        luma = new byte[lumaBlocksX * lumaBlocksY];
        boolean lumaDone = false;
        while (true) {
            int[] scan = readScanHeader();
            boolean withLuma = false;
            for (int c : scan) {
                withLuma |= c == 0;
            }
            int marker;
            if (withLuma && !lumaDone) {
                decodeScan(scan);
                lumaDone = true;
                int leftOver = Math.max(0, bitCount - fakeBits) / 8; // whole bytes read ahead and not used
                marker = nextMarker(leftOver);
            } else {
                marker = nextMarker(-1); // a scan of chroma only: the luma does not need it
            }
            if (marker == 0xD9 || marker < 0) {
                if (marker < 0) {
                    warnings.add("premature end of JPEG file (no end-of-image marker)");
                }
                break;
            }
            if (!readSegmentsAfter(marker)) {
                break;
            }
        }
        if (!lumaDone) {
            warnings.add("premature end of JPEG file (no scan of the luma)");
        }
        return new Result(luma, lumaBlocksX, lumaBlocksY, width, height, List.copyOf(warnings));
    }

    // ---- markers and segments ----

    /** Reads SOI and the segments up to the first SOS (inclusive of its marker); false: not for this reader. */
    private boolean readSegmentsUntilScan(boolean forDecoding) throws FormatException {
        if (!isJpeg(data)) {
            throw new FormatException("not a JPEG");
        }
        pos = 2;
        while (true) {
            int marker = nextMarker(-1);
            if (marker < 0 || marker == 0xD9) {
                return false;
            }
            if (marker == 0xDA) {
                if (components == null) {
                    throw new FormatException("scan before the frame header");
                }
                return true;
            }
            if (!segment(marker)) {
                return false;
            }
            if (!forDecoding && components != null) {
                return true;
            }
        }
    }

    /** After a scan: the segments up to the next SOS (true) or EOI / end (false). */
    private boolean readSegmentsAfter(int marker) throws FormatException {
        while (true) {
            if (marker == 0xDA) {
                return true;
            }
            if (marker == 0xD9 || marker < 0) {
                return false;
            }
            if (!segment(marker)) {
                return false;
            }
            marker = nextMarker(-1);
        }
    }

    /**
     * The marker at or after {@code pos} (0xFF fill bytes skipped), its code; -1 at the end of the data.
     * {@code leftOver} >= 0: right after a decoded scan, which had that many bytes read and not used: any
     * data bytes before the marker are left over from the scan, which libjpeg warns about.
     */
    private int nextMarker(int leftOver) {
        boolean afterScan = leftOver >= 0;
        int skipped = Math.max(0, leftOver);
        while (pos < data.length) {
            if ((data[pos] & 0xff) != 0xFF) {
                pos++;
                skipped++;
                continue;
            }
            while (pos < data.length && (data[pos] & 0xff) == 0xFF) {
                pos++;
            }
            if (pos >= data.length) {
                break;
            }
            int code = data[pos++] & 0xff;
            if (code == 0 || (code >= 0xD0 && code <= 0xD7)) {
                skipped += 2; // stuffed data or a stray restart marker: still data of a scan
                continue;
            }
            if (skipped > 0 && afterScan) {
                warnings.add("corrupt JPEG data: " + skipped + " extraneous bytes before marker 0x"
                        + Integer.toHexString(code));
            }
            return code;
        }
        return -1;
    }

    private int u16() throws FormatException {
        if (pos + 2 > data.length) {
            throw new FormatException("JPEG segment cut short");
        }
        int v = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    /** One marker segment; false when it says this reader should leave the file to ImageIO. */
    private boolean segment(int marker) throws FormatException {
        int start = pos;
        int length = u16();
        int end = start + length;
        if (length < 2 || end > data.length) {
            throw new FormatException("JPEG segment 0x" + Integer.toHexString(marker) + " runs past the data");
        }
        switch (marker) {
            case 0xC0, 0xC1 -> frame(end);
            case 0xC4 -> huffmanTables(end);
            case 0xDB -> quantTables(end);
            case 0xDD -> restartInterval = u16();
            default -> {
                if (marker >= 0xC2 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                    return false; // progressive, lossless, hierarchical or arithmetic coding
                }
                if (marker == 0xCC) {
                    return false; // arithmetic conditioning tables
                }
            }
        }
        pos = end;
        return true;
    }

    private void frame(int end) throws FormatException {
        if (components != null) {
            throw new FormatException("two frame headers");
        }
        int precision = data[pos++] & 0xff;
        height = u16();
        width = u16();
        int n = data[pos++] & 0xff;
        if (precision != 8 || width == 0 || height == 0 || n == 0 || pos + 3 * n > end) {
            components = null;
            throw new FormatException("JPEG frame of " + precision + "-bit samples, " + width + "x" + height + ", "
                    + n + " components");
        }
        components = new Component[n];
        for (int i = 0; i < n; i++) {
            Component c = new Component();
            c.id = data[pos++] & 0xff;
            int hv = data[pos++] & 0xff;
            c.h = hv >> 4;
            c.v = hv & 15;
            c.quantTable = data[pos++] & 3;
            if (c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4) {
                throw new FormatException("JPEG sampling factors " + c.h + "x" + c.v);
            }
            components[i] = c;
            maxH = Math.max(maxH, c.h);
            maxV = Math.max(maxV, c.v);
        }
        for (Component c : components) {
            c.blocksX = ceilDiv(ceilDiv(width * c.h, maxH), 8);
            c.blocksY = ceilDiv(ceilDiv(height * c.v, maxV), 8);
        }
        if (components[0].h != maxH || components[0].v != maxV) {
            throw new FormatException("JPEG whose first component is subsampled");
        }
        lumaBlocksX = components[0].blocksX;
        lumaBlocksY = components[0].blocksY;
    }

    private void quantTables(int end) throws FormatException {
        while (pos < end) {
            int pq = data[pos] >> 4 & 15;
            int tq = data[pos++] & 3;
            int[] table = new int[64];
            for (int k = 0; k < 64; k++) {
                table[k] = pq == 0 ? data[pos++] & 0xff : u16();
            }
            quant[tq] = table;
        }
        if (pos != end) {
            throw new FormatException("JPEG quantisation table runs past its segment");
        }
    }

    private void huffmanTables(int end) throws FormatException {
        while (pos < end) {
            int tc = data[pos] >> 4 & 15;
            int th = data[pos++] & 3;
            if (pos + 16 > end) {
                throw new FormatException("JPEG Huffman table cut short");
            }
            int[] counts = new int[17];
            int total = 0;
            for (int l = 1; l <= 16; l++) {
                counts[l] = data[pos++] & 0xff;
                total += counts[l];
            }
            if (total > 256 || pos + total > end) {
                throw new FormatException("bad JPEG Huffman table");
            }
            int[] symbols = new int[total];
            for (int i = 0; i < total; i++) {
                symbols[i] = data[pos++] & 0xff;
            }
            (tc == 0 ? dcTables : acTables)[th] = new Huffman(counts, symbols);
        }
    }

    /** The component indices of a scan, and its tables; positions {@code pos} at the scan's data. */
    private int[] readScanHeader() throws FormatException {
        int start = pos;
        int length = u16();
        int n = data[pos++] & 0xff;
        if (n < 1 || n > 4 || length != 6 + 2 * n || start + length > data.length) {
            throw new FormatException("bad JPEG scan header");
        }
        int[] scan = new int[n];
        for (int i = 0; i < n; i++) {
            int id = data[pos++] & 0xff;
            int tables = data[pos++] & 0xff;
            int index = -1;
            for (int c = 0; c < components.length; c++) {
                if (components[c].id == id) {
                    index = c;
                }
            }
            if (index < 0) {
                throw new FormatException("JPEG scan of an unknown component " + id);
            }
            components[index].dcTable = tables >> 4 & 3;
            components[index].acTable = tables & 3;
            scan[i] = index;
        }
        pos = start + length;
        return scan;
    }

    // ---- entropy-coded data ----

    private long bits;     // bit buffer, the next bit at position bitCount - 1
    private int bitCount;
    private boolean hitMarker;
    /** Zero bits appended past a marker (at the bottom of the buffer); using them means the data ended early. */
    private int fakeBits;
    private boolean dataEnded;

    private void resetBits() {
        bits = 0;
        bitCount = 0;
        fakeBits = 0;
        hitMarker = false;
        dataEnded = false;
    }

    /** Fills the bit buffer from the scan's bytes (0xFF 0x00 is a data 0xFF); past a marker, zeros (as libjpeg). */
    private void fill() {
        while (bitCount <= 48) {
            int b = 0;
            if (!hitMarker && pos < data.length) {
                b = data[pos] & 0xff;
                if (b == 0xFF) {
                    int next = pos + 1 < data.length ? data[pos + 1] & 0xff : -1;
                    if (next == 0) {
                        pos += 2;
                    } else {
                        hitMarker = true; // stays at the marker for nextMarker()
                        b = 0;
                    }
                } else {
                    pos++;
                }
            } else {
                hitMarker = true;
            }
            if (hitMarker) {
                fakeBits += 8;
            }
            bits = (bits << 8) | b;
            bitCount += 8;
        }
    }

    /** After bits were taken: reaching into the zeros appended past a marker means the scan's data ended early. */
    private void consumed() {
        if (bitCount < fakeBits) {
            dataEnded = true;
            fakeBits = bitCount;
        }
    }

    private int peek(int n) {
        if (bitCount < n) {
            fill();
        }
        return (int) (bits >>> (bitCount - n)) & ((1 << n) - 1);
    }

    private void skip(int n) {
        if (bitCount < n) {
            fill();
        }
        bitCount -= n;
        consumed();
    }

    private int receive(int n) {
        int v = peek(n);
        bitCount -= n;
        consumed();
        return v;
    }

    private static int extend(int v, int n) {
        return v < (1 << (n - 1)) ? v - (1 << n) + 1 : v;
    }

    private boolean badData;

    private void decodeScan(int[] scan) {
        resetBits();
        boolean single = scan.length == 1;
        int mcusX = single ? components[scan[0]].blocksX : ceilDiv(width, 8 * maxH);
        int mcusY = single ? components[scan[0]].blocksY : ceilDiv(height, 8 * maxV);
        for (int c : scan) {
            components[c].dcPredictor = 0;
        }
        int total = mcusX * mcusY;
        int untilRestart = restartInterval;
        int expectedRestart = 0;
        badData = false;
        for (int mcu = 0; mcu < total; mcu++) {
            if (restartInterval > 0 && untilRestart == 0) {
                if (!restart(expectedRestart)) {
                    return;
                }
                expectedRestart = (expectedRestart + 1) & 7;
                untilRestart = restartInterval;
                for (int c : scan) {
                    components[c].dcPredictor = 0;
                }
            }
            untilRestart--;
            int mx = mcu % mcusX;
            int my = mcu / mcusX;
            for (int ci : scan) {
                Component c = components[ci];
                int bh = single ? 1 : c.h;
                int bv = single ? 1 : c.v;
                for (int y = 0; y < bv; y++) {
                    for (int x = 0; x < bh; x++) {
                        int dc = block(c);
                        if (ci == 0) {
                            int bx = mx * bh + x;
                            int by = my * bv + y;
                            if (bx < lumaBlocksX && by < lumaBlocksY) {
                                if (quant[c.quantTable] == null) {
                                    badData("a component's quantisation table was never defined");
                                    return;
                                }
                                int q = quant[c.quantTable][0];
                                int value = ((dc * q + 4) >> 3) + 128; // libjpeg's 1x1 inverse DCT, range-limited
                                luma[by * lumaBlocksX + bx] = (byte) Math.max(0, Math.min(255, value));
                            }
                        }
                    }
                }
            }
            if (dataEnded) {
                warnings.add("corrupt JPEG data: premature end of data segment");
                return;
            }
            if (badData) {
                return;
            }
        }
    }

    /** One block: its DC value (predicted), its AC coefficients read past. */
    private int block(Component c) {
        Huffman dcTable = dcTables[c.dcTable];
        Huffman acTable = acTables[c.acTable];
        if (dcTable == null || acTable == null) {
            badData("a scan names a Huffman table that was never defined");
            return c.dcPredictor;
        }
        int s = dcTable.decode(this);
        if (s < 0 || s > 11) {
            badData("bad Huffman code");
            return c.dcPredictor;
        }
        if (s > 0) {
            c.dcPredictor += extend(receive(s), s);
        }
        for (int k = 1; k < 64; ) {
            int rs = acTable.decode(this);
            if (rs < 0) {
                badData("bad Huffman code");
                return c.dcPredictor;
            }
            int r = rs >> 4;
            int size = rs & 15;
            if (size == 0) {
                if (r != 15) {
                    break; // end of block
                }
                k += 16;
            } else {
                k += r;
                skip(size);
                k++;
            }
            if (k > 64) {
                badData("corrupt JPEG data: bad coefficient run");
                return c.dcPredictor;
            }
        }
        return c.dcPredictor;
    }

    private void badData(String warning) {
        if (!badData) {
            warnings.add(warning);
        }
        badData = true;
    }

    /**
     * At a restart interval's end the data is byte-aligned and the marker RSTn follows: the bit buffer holds
     * at most the padding of the last byte, and {@code pos} is at the marker (the buffer is never filled
     * past one). Anything more is data the interval did not use, which libjpeg warns about too.
     */
    private boolean restart(int expected) {
        int unused = Math.max(0, bitCount - fakeBits) / 8;
        if (unused > 0) {
            warnings.add("corrupt JPEG data: extraneous bytes before restart marker " + expected);
            return false;
        }
        int marker = restartMarkerAt();
        if (marker != 0xD0 + expected) {
            warnings.add("corrupt JPEG data: missing restart marker " + expected
                    + (marker < 0 ? "" : " (found 0x" + Integer.toHexString(marker) + ")"));
            return false;
        }
        resetBits();
        return true;
    }

    /** The marker at pos (after fill bytes), consumed if it is a restart marker; -1 if none is there. */
    private int restartMarkerAt() {
        int p = pos;
        if (p >= data.length || (data[p] & 0xff) != 0xFF) {
            return -1;
        }
        while (p < data.length && (data[p] & 0xff) == 0xFF) {
            p++;
        }
        if (p >= data.length) {
            return -1;
        }
        int code = data[p] & 0xff;
        if (code >= 0xD0 && code <= 0xD7) {
            pos = p + 1;
        }
        return code;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** A canonical Huffman table with a 9-bit first-level lookup. */
    static final class Huffman {
        private static final int LOOKUP = 9;
        private final short[] fast = new short[1 << LOOKUP]; // (length << 8 | symbol), 0 = longer code
        private final int[] maxCode = new int[18];
        private final int[] valOffset = new int[17];
        private final int[] symbols;

        Huffman(int[] counts, int[] symbols) {
            this.symbols = symbols;
            int code = 0;
            int k = 0;
            for (int l = 1; l <= 16; l++) {
                valOffset[l] = k - code;
                for (int i = 0; i < counts[l]; i++) {
                    if (l <= LOOKUP) {
                        int shift = LOOKUP - l;
                        for (int j = 0; j < 1 << shift; j++) {
                            fast[(code << shift) | j] = (short) (l << 8 | symbols[k]);
                        }
                    }
                    code++;
                    k++;
                }
                maxCode[l] = counts[l] > 0 ? code - 1 : -1;
                code <<= 1;
            }
            maxCode[17] = Integer.MAX_VALUE;
        }

        /** The next symbol, or -1 for a code that is not in the table. */
        int decode(JpegDcReader in) {
            int look = in.peek(LOOKUP);
            int entry = fast[look];
            if (entry != 0) {
                in.skip(entry >> 8);
                return entry & 0xff;
            }
            int code = in.peek(16);
            for (int l = LOOKUP + 1; l <= 16; l++) {
                int prefix = code >>> (16 - l);
                if (maxCode[l] >= 0 && prefix <= maxCode[l]) {
                    in.skip(l);
                    int index = prefix + valOffset[l];
                    return index >= 0 && index < symbols.length ? symbols[index] : -1;
                }
            }
            return -1;
        }
    }
}
