package dev.netlens.core.ops;

import dev.netlens.core.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Independent double-precision references for MaxPool and AveragePool in the tests: direct loops
 * over every window tap, written from the ONNX/PyTorch definitions rather than from the kernels.
 * A 1-D case is described with height 1 (kernel, stride, dilation 1 and no padding along H).
 */
final class NaivePooling {
    private NaivePooling() {
    }

    /** Window attributes of one case; pads {top, left, bottom, right}. */
    record Window(int kh, int kw, int sh, int sw, int dh, int dw, int[] pads, boolean ceil) {
        /** Output extent floor/ceil((in + pads − window span) / stride) + 1 (0 if empty); ceil drops a window starting in the end padding. */
        static int extent(int in, int k, int s, int d, int padBegin, int padEnd, boolean ceil) {
            // ONNX: floor or ceil of room / stride, plus 1 (room may be negative: with ceil and a
            // window larger than the padded input by less than a stride, one window remains).
            int room = in + padBegin + padEnd - ((k - 1) * d + 1);
            int out = (int) (ceil ? Math.ceil(room / (double) s) : Math.floor(room / (double) s)) + 1;
            if (out < 1) {
                return 0;
            }
            if (ceil && (out - 1) * s >= in + padBegin) {
                out--;
            }
            return out;
        }

        int outH(int h) {
            return extent(h, kh, sh, dh, pads[0], pads[2], ceil);
        }

        int outW(int w) {
            return extent(w, kw, sw, dw, pads[1], pads[3], ceil);
        }

        /** A random window: square-ish kernels 1–4, strides 1–3, dilations 1–2, asymmetric pads 0–2. */
        static Window random(SplittableRandom r, boolean oneD) {
            int[] pads = {oneD ? 0 : r.nextInt(3), r.nextInt(3), oneD ? 0 : r.nextInt(3), r.nextInt(3)};
            return new Window(oneD ? 1 : 1 + r.nextInt(4), 1 + r.nextInt(4), oneD ? 1 : 1 + r.nextInt(3),
                    1 + r.nextInt(3), oneD ? 1 : 1 + r.nextInt(2), 1 + r.nextInt(2), pads, r.nextBoolean());
        }
    }

    /** Max pooling of x [N, C, H, W]; out[1] holds the flat input index of each maximum (−1 for none). */
    static Tensor[] max(Tensor x, Window win) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int oh = win.outH(h), ow = win.outW(w);
        Tensor y = Tensor.zeros(n, c, oh, ow);
        Tensor idx = Tensor.zeros(n, c, oh, ow);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double best = Double.NEGATIVE_INFINITY;
                        int where = -1;
                        for (int ki = 0; ki < win.kh; ki++) {
                            for (int kj = 0; kj < win.kw; kj++) {
                                int iy = i * win.sh - win.pads[0] + ki * win.dh;
                                int ix = j * win.sw - win.pads[1] + kj * win.dw;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                    continue;
                                }
                                double v = x.get(b, ch, iy, ix);
                                // First maximum in window order; the first NaN beats everything.
                                if (where < 0 || v > best || (Double.isNaN(v) && !Double.isNaN(best))) {
                                    best = v;
                                    where = ((b * c + ch) * h + iy) * w + ix;
                                }
                            }
                        }
                        y.set(where < 0 ? -Float.MAX_VALUE : (float) best, b, ch, i, j);
                        idx.set(where, b, ch, i, j);
                    }
                }
            }
        }
        return new Tensor[] {y, idx};
    }

    /** Average pooling of x [N, C, H, W]; the divisor counts taps in the padded extent or on real elements. */
    static Tensor average(Tensor x, Window win, boolean countIncludePad) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int oh = win.outH(h), ow = win.outW(w);
        Tensor y = Tensor.zeros(n, c, oh, ow);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = 0;
                        int count = 0;
                        for (int ki = 0; ki < win.kh; ki++) {
                            for (int kj = 0; kj < win.kw; kj++) {
                                int iy = i * win.sh - win.pads[0] + ki * win.dh;
                                int ix = j * win.sw - win.pads[1] + kj * win.dw;
                                boolean real = iy >= 0 && iy < h && ix >= 0 && ix < w;
                                boolean padded = iy >= -win.pads[0] && iy < h + win.pads[2]
                                        && ix >= -win.pads[1] && ix < w + win.pads[3];
                                if (real) {
                                    sum += x.get(b, ch, iy, ix);
                                }
                                if (countIncludePad ? padded : real) {
                                    count++;
                                }
                            }
                        }
                        y.set(count == 0 ? 0f : (float) (sum / count), b, ch, i, j);
                    }
                }
            }
        }
        return y;
    }

    /** Flat row-major indices (within the whole tensor) re-expressed with column-major planes. */
    static Tensor columnMajor(Tensor idx, int h, int w) {
        Tensor out = idx.copy();
        float[] d = out.data();
        for (int i = 0; i < d.length; i++) {
            int v = (int) d[i];
            if (v >= 0) {
                int plane = v / (h * w);
                int row = (v % (h * w)) / w;
                int col = v % w;
                d[i] = plane * h * w + col * h + row;
            }
        }
        return out;
    }

    /** A tensor holding a random permutation of well-separated values (no ties within 0.05). */
    static Tensor distinct(SplittableRandom r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (i - d.length / 2f) * 0.1f;
        }
        for (int i = d.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float tmp = d[i];
            d[i] = d[j];
            d[j] = tmp;
        }
        return t;
    }
}
