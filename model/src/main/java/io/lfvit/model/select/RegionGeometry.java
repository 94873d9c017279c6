package io.lfvit.model.select;

/**
 * Index tables of the NGCA window search on a G x G localization grid, computed once per (G, m):
 * the (G-m+1)^2 windows in row-major order of their top-left corner, the cells inside each window
 * (row-major) and outside it (the official order: left/right of the window row by row, then full
 * rows above, then full rows below), plus the coarse-to-fine index map.
 */
public final class RegionGeometry {
    private final int grid;
    private final int m;
    private final int k;
    private final int windowsPerSide;
    private final int[][] inside;
    private final int[][] outside;

    public RegionGeometry(int grid, int m, double alpha) {
        if (m < 1 || m > grid) {
            throw new IllegalArgumentException("window side m=" + m + " must lie in 1.." + grid);
        }
        this.grid = grid;
        this.m = m;
        this.k = splitCount(alpha, m * m);
        this.windowsPerSide = grid - m + 1;
        int windows = windowsPerSide * windowsPerSide;
        inside = new int[windows][];
        outside = new int[windows][];
        for (int w = 0; w < windows; w++) {
            inside[w] = insideCells(w / windowsPerSide, w % windowsPerSide);
            outside[w] = outsideCells(w / windowsPerSide, w % windowsPerSide);
        }
    }

    /** K = ceil(alpha * cells); the epsilon keeps 0.88*25 = 22 exact when alpha was parsed from text. */
    public static int splitCount(double alpha, int cells) {
        return (int) Math.ceil(alpha * cells - 1e-9);
    }

    private int[] insideCells(int row, int col) {
        int[] cells = new int[m * m];
        int n = 0;
        for (int r = row; r < row + m; r++) {
            for (int c = col; c < col + m; c++) {
                cells[n++] = r * grid + c;
            }
        }
        return cells;
    }

    private int[] outsideCells(int row, int col) {
        int[] cells = new int[grid * grid - m * m];
        int n = 0;
        for (int r = row; r < row + m; r++) {
            for (int c = 0; c < col; c++) {
                cells[n++] = r * grid + c;
            }
            for (int c = col + m; c < grid; c++) {
                cells[n++] = r * grid + c;
            }
        }
        for (int r = 0; r < row; r++) {
            for (int c = 0; c < grid; c++) {
                cells[n++] = r * grid + c;
            }
        }
        for (int r = row + m; r < grid; r++) {
            for (int c = 0; c < grid; c++) {
                cells[n++] = r * grid + c;
            }
        }
        return cells;
    }

    /** NGCA score of every window: the plain sum of the GCA over its m x m cells. */
    public double[] windowScores(float[] gca) {
        double[] scores = new double[inside.length];
        for (int w = 0; w < inside.length; w++) {
            double sum = 0;
            for (int cell : inside[w]) {
                sum += gca[cell];
            }
            scores[w] = sum;
        }
        return scores;
    }

    /**
     * Full-resolution patch ids of the 2x2 children of coarse cells, as four blocks
     * [top-left of all | top-right of all | bottom-left of all | bottom-right of all].
     */
    public static int[] fineIds(int[] cells, int grid) {
        int k = cells.length;
        int[] ids = new int[4 * k];
        for (int i = 0; i < k; i++) {
            int topLeft = 4 * cells[i] - 2 * (cells[i] % grid);
            ids[i] = topLeft;
            ids[k + i] = topLeft + 1;
            ids[2 * k + i] = topLeft + 2 * grid;
            ids[3 * k + i] = topLeft + 2 * grid + 1;
        }
        return ids;
    }

    public int grid() {
        return grid;
    }

    public int m() {
        return m;
    }

    public int k() {
        return k;
    }

    public int windowCount() {
        return inside.length;
    }

    public int windowRow(int window) {
        return window / windowsPerSide;
    }

    public int windowCol(int window) {
        return window % windowsPerSide;
    }

    public int windowAt(int row, int col) {
        return row * windowsPerSide + col;
    }

    public int[] inside(int window) {
        return inside[window].clone();
    }

    public int[] outside(int window) {
        return outside[window].clone();
    }

    int[] insideShared(int window) {
        return inside[window];
    }

    int[] outsideShared(int window) {
        return outside[window];
    }
}
