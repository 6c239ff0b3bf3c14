package dev.netlens.core.ops;

import dev.netlens.core.kernels.Parallel;
import dev.netlens.core.kernels.BatchNormKernels;
import dev.netlens.core.kernels.ElementwiseKernels;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX BatchNormalization (opset 15 semantics) for X [N, C, D1, …] of rank ≥ 2 with inputs
 * scale, B, input_mean and input_var, each [C]; attributes epsilon = 1e-5 and momentum = 0.9.
 *
 * <p><b>Mode.</b> The mode comes from the run ({@link ForwardContext#training()}), like PyTorch's
 * {@code module.train()}; ONNX's {@code training_mode} attribute is not an attribute of this op (an
 * importer maps it to the run's mode). Inference:
 * {@code y = scale · (x − input_mean) / √(input_var + ε) + B}. Training: the same with the batch
 * mean and the biased batch variance over N and the spatial axes.
 *
 * <p><b>Outputs.</b> The op always produces Y, running_mean and running_var; a node that declares
 * only Y drops the other two. In training mode
 * {@code running_mean = input_mean · momentum + batch_mean · (1 − momentum)} and
 * {@code running_var = input_var · momentum + batch_var · (1 − momentum)}, where batch_var is by
 * default the <em>unbiased</em> batch variance (divisor M − 1, M = values per channel), as
 * PyTorch's {@code BatchNorm} does. The ONNX-15 spec's text leaves this open and its reference
 * implementation (and backend test vectors) use the biased variance; choose that with
 * {@link Builder#unbiasedRunningVar(boolean) unbiasedRunningVar(false)}. PyTorch's momentum is
 * the complement of ONNX's: ONNX 0.9 = PyTorch 0.1. In inference mode running_mean and running_var
 * are copies of input_mean and input_var (no update).
 *
 * <p><b>VJP.</b> Inference mode: gradients for X, scale, B, input_mean and input_var (all are
 * differentiable there). Training mode: X, scale and B through the batch statistics, plus the
 * contributions of running_mean/running_var when those outputs receive gradients (which also give
 * input_mean and input_var their gradients, momentum times the incoming ones). Retains X, scale,
 * input_mean and input_var (not B); training mode also saves the per-channel batch mean and
 * inverse standard deviation.
 *
 * <p><b>Memory order.</b> Each thread takes a range of channels, and every pass (sums, squared
 * deviations, normalisation; gradient sums, input gradient) visits that range's rows image by
 * image, where they are consecutive floats, rather than channel by channel, where a row of
 * {@code area} floats is followed by a jump of C·area. Per channel the float operations and their
 * order are those of the channel-by-channel loops, so the bits are the same. In resnet8 training
 * (batch 128, 2 threads, per-node medians of a 200-step run, ms, channel by channel → image by
 * image): 64 channels at 7² forward 0.55 → 0.36, backward 0.98 → 0.44; 32 at 14² backward 0.97 →
 * 0.78; 16 at 28² backward 1.94 → 1.59, where the ReLU-masked gradient also no longer goes
 * through a scratch array of a channel's size; the nine batch normalisations of a step 17.6 → 14.1.
 */
public final class BatchNormalization implements Op {
    private static final int GRAIN_ELEMENTS = 1 << 14;

    private final float epsilon;
    private final float momentum;
    private final boolean unbiasedRunningVar;
    /** Whether Y is followed by a ReLU inside this node (see {@link #withRelu()}). */
    private final boolean relu;
    /** Whether a sixth input is added to Y before the ReLU (see {@link #withResidualRelu()}). */
    private final boolean residual;

    /** Batch statistics of a training-mode forward pass, per channel. */
    private record BatchStats(double[] mean, double[] invStd, int count) {
    }

    private BatchNormalization(Builder b) {
        if (!(b.epsilon >= 0f) || !Float.isFinite(b.epsilon)) {
            throw new IllegalArgumentException("BatchNormalization epsilon must be a finite number >= 0, got " + b.epsilon);
        }
        if (!Float.isFinite(b.momentum)) {
            throw new IllegalArgumentException("BatchNormalization momentum must be finite (ONNX default 0.9), got "
                    + b.momentum);
        }
        this.epsilon = b.epsilon;
        this.momentum = b.momentum;
        this.unbiasedRunningVar = b.unbiasedRunningVar;
        this.relu = false;
        this.residual = false;
    }

    private BatchNormalization(BatchNormalization bn, boolean relu, boolean residual) {
        this.epsilon = bn.epsilon;
        this.momentum = bn.momentum;
        this.unbiasedRunningVar = bn.unbiasedRunningVar;
        this.relu = relu;
        this.residual = residual;
    }

    /**
     * This batch normalisation with a ReLU applied to Y in the same pass: Y = max(BN(X), 0), and
     * the backward pass masks the incoming gradient by Y > 0 — the values of a
     * BatchNormalization node followed by a Relu node, bit for bit, with one pass less over the
     * activations each way: the forward pass writes max(·, 0) directly, and in training mode the
     * backward pass masks the gradient on the fly while summing it and again while writing the
     * input gradient, instead of writing a masked copy of the whole gradient first
     * ({@link BatchNormKernels#gradientSumsByImage}, {@link BatchNormKernels#inputGradientByImage}).
     * Not an ONNX op: training graphs use it ({@code TrainableModel}); exported models keep the two
     * nodes.
     */
    public BatchNormalization withRelu() {
        return new BatchNormalization(this, true, false);
    }

    /**
     * This batch normalisation with a sixth input R of X's shape added to Y and a ReLU applied:
     * Y = max(BN(X) + R, 0) — the values of a BatchNormalization node, an Add of R and a Relu node
     * (a residual block's end), bit for bit, without writing the sum or reading it back. The
     * backward pass masks the incoming gradient by Y &gt; 0 and gives it to R as well. Not an ONNX
     * op: training graphs use it ({@code TrainableModel}).
     */
    public BatchNormalization withResidualRelu() {
        return new BatchNormalization(this, true, true);
    }

    /** Whether this node adds a residual input before its ReLU ({@link #withResidualRelu()}). */
    public boolean fusedResidual() {
        return residual;
    }

    /** Whether a ReLU is fused into this node. */
    public boolean fusedRelu() {
        return relu;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Batch normalisation with ONNX defaults (epsilon 1e-5, momentum 0.9, unbiased running variance). */
    public static BatchNormalization defaults() {
        return builder().build();
    }

    @Override
    public String type() {
        return residual ? "BatchNormalization+Add+Relu" : relu ? "BatchNormalization+Relu" : "BatchNormalization";
    }

    @Override
    public OpCategory category() {
        return OpCategory.BATCH_NORM;
    }

    /** X, scale, input_mean and input_var are read by the backward pass; B is not. */
    @Override
    public boolean retainsInput(int index) {
        return index != 2 && index != 5;
    }

    /** With a fused ReLU the backward pass reads Y for the mask. */
    @Override
    public boolean retainsOutput(int index) {
        return relu && index == 0;
    }

    public float epsilon() {
        return epsilon;
    }

    public float momentum() {
        return momentum;
    }

    public boolean unbiasedRunningVar() {
        return unbiasedRunningVar;
    }

    private void validate(Tensor[] inputs) {
        OpSupport.requireInputs(type(), inputs, residual ? 6 : 5, residual ? 6 : 5);
        int[] x = inputs[0].shape();
        if (x.length < 2) {
            throw new IllegalArgumentException(type() + " needs X [N, C, …] of rank >= 2, got shape "
                    + Shapes.toString(x));
        }
        String[] names = {"X", "scale", "B", "input_mean", "input_var"};
        for (int i = 1; i < 5; i++) {
            if (!inputs[i].hasShape(x[1])) {
                throw new IllegalArgumentException(type() + " " + names[i] + " must have shape [" + x[1]
                        + "] (one value per channel of X " + Shapes.toString(x) + "), got "
                        + Shapes.toString(inputs[i].shape()));
            }
        }
        if (residual && !java.util.Arrays.equals(inputs[5].shape(), x)) {
            throw new IllegalArgumentException(type() + " residual input must have X's shape " + Shapes.toString(x)
                    + ", got " + Shapes.toString(inputs[5].shape()));
        }
    }

    private static int grain(int perChannel) {
        return Math.max(1, GRAIN_ELEMENTS / Math.max(1, perChannel));
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        validate(inputs);
        Tensor x = inputs[0];
        int[] shape = x.shape();
        int n = shape[0];
        int channels = shape[1];
        int area = Shapes.size(shape, 2, shape.length);
        int count = n * area;
        float[] xd = x.data();
        float[] scale = inputs[1].data();
        float[] b = inputs[2].data();
        float[] inMean = inputs[3].data();
        float[] inVar = inputs[4].data();
        float[] rd = residual ? inputs[5].data() : null;
        Tensor y = Tensor.uninitializedLike(x);
        float[] yd = y.data();
        Tensor runMean = Tensor.zeros(channels);
        Tensor runVar = Tensor.zeros(channels);
        float[] rm = runMean.data();
        float[] rv = runVar.data();
        boolean training = ctx.training();
        if (training && count < 2 && unbiasedRunningVar) {
            throw new IllegalArgumentException("BatchNormalization in training mode needs more than one value per "
                    + "channel for the unbiased running variance, got X " + Shapes.toString(shape)
                    + "; use a larger batch, inference mode, or unbiasedRunningVar(false)");
        }
        double[] batchMean = training ? new double[channels] : null;
        double[] batchInvStd = training ? new double[channels] : null;
        Parallel.range(channels, grain(count), (from, to) -> {
            // every pass visits the rows of this thread's channels image by image (see ByImage)
            double[] squares = training ? new double[channels] : null;
            double[] centres = training ? new double[channels] : null;
            if (training) {
                double[] sums = new double[channels];
                BatchNormKernels.sumsByImage(xd, n, channels, area, from, to, sums);
                for (int c = from; c < to; c++) {
                    centres[c] = sums[c] / count;
                }
                BatchNormKernels.squaredDeviationsByImage(xd, n, channels, area, from, to, centres, squares);
            }
            float[] means = new float[channels];
            float[] factors = new float[channels];
            for (int c = from; c < to; c++) {
                double mean;
                double invStd;
                if (training) {
                    mean = centres[c];
                    double sq = squares[c];
                    double var = sq / count;
                    invStd = 1.0 / Math.sqrt(var + epsilon);
                    batchMean[c] = mean;
                    batchInvStd[c] = invStd;
                    double runningVar = unbiasedRunningVar ? sq / (count - 1) : var;
                    rm[c] = (float) (inMean[c] * (double) momentum + mean * (1.0 - momentum));
                    rv[c] = (float) (inVar[c] * (double) momentum + runningVar * (1.0 - momentum));
                } else {
                    mean = inMean[c];
                    invStd = 1.0 / Math.sqrt((double) inVar[c] + epsilon);
                    rm[c] = inMean[c];
                    rv[c] = inVar[c];
                }
                // y = (x − mean)·scale·invStd + B, coefficients in double, the loop in float
                means[c] = (float) mean;
                factors[c] = (float) (scale[c] * invStd);
            }
            BatchNormKernels.normalizeByImage(xd, rd, yd, n, channels, area, from, to, means, factors, b, relu);
        });
        if (training) {
            ctx.save(new BatchStats(batchMean, batchInvStd, count));
        }
        return new Tensor[] {y, runMean, runVar};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        Tensor[] out = new Tensor[ctx.inputCount()];
        boolean[] want = new boolean[5];
        boolean any = residual && ctx.needsGradient(5);
        for (int i = 0; i < 5; i++) {
            want[i] = ctx.needsGradient(i);
            any |= want[i];
        }
        if (!any) {
            return out;
        }
        int[] shape = ctx.inputShape(0);
        int n = shape[0];
        int channels = shape[1];
        int area = Shapes.size(shape, 2, shape.length);
        int count = n * area;
        float[] gy = gradOutputs[0].data();
        // the fused ReLU's VJP: the incoming gradient where Y > 0, else 0 — masked row by row on the
        // fly in both passes, or, with a residual input (which receives it too), into one array first
        float[] reluOut = relu ? ctx.output(0).data() : null;
        if (residual) {
            gy = reluGradient(gy, reluOut, shape);
            reluOut = null;
            if (ctx.needsGradient(5)) {
                out[5] = Tensor.of(gy, shape);
            }
        }
        float[] maskOut = reluOut;
        float[] gyFinal = gy;
        float[] gMean = gradOutputs.length > 1 && gradOutputs[1] != null ? gradOutputs[1].data() : null;
        float[] gVar = gradOutputs.length > 2 && gradOutputs[2] != null ? gradOutputs[2].data() : null;
        boolean training = ctx.saved() instanceof BatchStats;
        boolean needX = training || want[1] || want[4];
        float[] xd = needX ? ctx.input(0).data() : null;
        float[] scale = want[0] || want[3] || want[4] ? ctx.input(1).data() : null;
        float[] dx = want[0] ? Tensor.uninitialized(shape).data() : null;
        float[] dScale = want[1] ? new float[channels] : null;
        float[] dB = want[2] ? new float[channels] : null;
        float[] dMean = want[3] ? new float[channels] : null;
        float[] dVar = want[4] ? new float[channels] : null;

        if (training) {
            BatchStats stats = (BatchStats) ctx.saved();
            Parallel.range(channels, grain(count), (from, to) -> trainingGradients(from, to, stats, n, channels, area,
                    xd, gyFinal, maskOut, scale, gMean, gVar, dx, dScale, dB, dMean, dVar));
        } else {
            float[] gyInference = maskOut != null ? reluGradient(gy, maskOut, shape) : gy;
            float[] inMean = want[1] || want[4] ? ctx.input(3).data() : null;
            float[] inVar = ctx.input(4).data();
            Parallel.range(channels, grain(count), (from, to) -> {
                for (int c = from; c < to; c++) {
                    inferenceChannel(c, n, channels, area, xd, gyInference, scale, inMean, inVar, gMean, gVar, dx, dScale,
                            dB, dMean, dVar);
                }
            });
        }
        out[0] = dx == null ? null : Tensor.of(dx, shape);
        out[1] = dScale == null ? null : Tensor.of(dScale, channels);
        out[2] = dB == null ? null : Tensor.of(dB, channels);
        out[3] = dMean == null ? null : Tensor.of(dMean, channels);
        out[4] = dVar == null ? null : Tensor.of(dVar, channels);
        return out;
    }

    /**
     * The fused ReLU's VJP: the incoming gradient where Y > 0, else 0 — the array a Relu node's
     * backward pass would hand to this node's (in the graph's arena scope, if any).
     */
    private static float[] reluGradient(float[] g, float[] y, int[] shape) {
        float[] masked = Tensor.uninitialized(shape).data();
        Parallel.range(masked.length, GRAIN_ELEMENTS, (from, to) -> ElementwiseKernels.reluBackward(y, g, masked, from, to));
        return masked;
    }

    /** Inference-mode VJP of channel c; running outputs are copies of input_mean/input_var. */
    private void inferenceChannel(int c, int n, int channels, int area, float[] xd, float[] gy, float[] scale,
                                  float[] inMean, float[] inVar, float[] gMean, float[] gVar, float[] dx,
                                  float[] dScale, float[] dB, float[] dMean, float[] dVar) {
        double invStd = 1.0 / Math.sqrt((double) inVar[c] + epsilon);
        double sumG = 0;
        double sumGCentered = 0;
        double mean = inMean == null ? 0 : inMean[c];
        double a = scale == null ? 0 : scale[c] * invStd;
        for (int i = 0; i < n; i++) {
            int off = (i * channels + c) * area;
            for (int p = 0; p < area; p++) {
                double g = gy[off + p];
                sumG += g;
                if (xd != null && inMean != null) {
                    sumGCentered += g * (xd[off + p] - mean);
                }
                if (dx != null) {
                    dx[off + p] = (float) (g * a);
                }
            }
        }
        if (dScale != null) {
            dScale[c] = (float) (sumGCentered * invStd);
        }
        if (dB != null) {
            dB[c] = (float) sumG;
        }
        if (dMean != null) {
            dMean[c] = (float) (-a * sumG + (gMean == null ? 0 : gMean[c]));
        }
        if (dVar != null) {
            double v = -0.5 * scale[c] * invStd * invStd * invStd * sumGCentered;
            dVar[c] = (float) (v + (gVar == null ? 0 : gVar[c]));
        }
    }

    /**
     * Training-mode VJP of the channels [from, to), through the batch statistics and the running
     * outputs: the sums of all of them first, then the input gradient, each pass visiting the
     * channels' rows image by image (see {@link BatchNormKernels#sumsByImage}). With a fused ReLU
     * the incoming gradient is masked by Y &gt; 0 on the fly in both passes.
     */
    private void trainingGradients(int from, int to, BatchStats stats, int n, int channels, int area, float[] xd,
                                 float[] gy, float[] reluOut, float[] scale, float[] gMean, float[] gVar, float[] dx,
                                 float[] dScale, float[] dB, float[] dMean, float[] dVar) {
        double[] sumG = new double[channels];
        double[] sumGCentred = new double[channels];
        BatchNormKernels.gradientSumsByImage(gy, reluOut, xd, n, channels, area, from, to, stats.mean(), sumG,
                sumGCentred);
        float[] means = new float[channels];
        float[] kG = new float[channels];
        float[] kX = new float[channels];
        float[] k0 = new float[channels];
        float[] k = new float[3];
        for (int c = from; c < to; c++) {
            finishChannel(c, stats, sumG[c], sumGCentred[c], scale, gMean, gVar, dScale, dB, dMean, dVar, k);
            means[c] = (float) stats.mean()[c];
            kG[c] = k[0];
            kX[c] = k[1];
            k0[c] = k[2];
        }
        if (dx != null) {
            BatchNormKernels.inputGradientByImage(gy, reluOut, xd, dx, n, channels, area, from, to, means, kG, kX, k0);
        }
    }

    /**
     * Channel c's parameter gradients from its sums Σ g′ and Σ g′·(x − mean), and the coefficients
     * of its input gradient dx = kG·g′ + (kX·(x − mean) + k0) into {@code k} (kG, kX, k0; left
     * alone when scale is null, which it is not when dx is wanted).
     */
    private void finishChannel(int c, BatchStats stats, double sumG, double sumGCentred, float[] scale,
                               float[] gMean, float[] gVar, float[] dScale, float[] dB, float[] dMean, float[] dVar,
                               float[] k) {
        int count = stats.count();
        double invStd = stats.invStd()[c];
        double sumGHat = sumGCentred * invStd;
        if (dScale != null) {
            dScale[c] = (float) sumGHat;
        }
        if (dB != null) {
            dB[c] = (float) sumG;
        }
        double runMeanGrad = gMean == null ? 0 : gMean[c];
        double runVarGrad = gVar == null ? 0 : gVar[c];
        if (dMean != null) {
            dMean[c] = (float) (momentum * runMeanGrad);
        }
        if (dVar != null) {
            dVar[c] = (float) (momentum * runVarGrad);
        }
        if (scale == null) {
            return;
        }
        double meanTerm = sumG / count;
        double hatTerm = sumGHat / count;
        // running_mean adds (1 − m)/M per element; running_var adds (1 − m)·2(x − mean)/divisor
        // (the batch mean's own dependence cancels because Σ(x − mean) = 0).
        double fromRunMean = (1.0 - momentum) * runMeanGrad / count;
        double varDivisor = unbiasedRunningVar ? count - 1 : count;
        double fromRunVar = (1.0 - momentum) * runVarGrad * 2.0 / varDivisor;
        // dx = s·i·(g − meanTerm − (x − mean)·i·hatTerm) + fromRunMean + fromRunVar·(x − mean)
        //    = kG·g + (kX·(x − mean) + k0), coefficients in double, the loop in float
        double si = scale[c] * invStd;
        k[0] = (float) si;
        k[1] = (float) (-si * invStd * hatTerm + fromRunVar);
        k[2] = (float) (-si * meanTerm + fromRunMean);
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("epsilon", epsilon);
        a.put("momentum", momentum);
        return a;
    }

    @Override
    public String toString() {
        return "BatchNormalization(epsilon=" + epsilon + ", momentum=" + momentum
                + (unbiasedRunningVar ? "" : ", running variance biased") + ")" + (residual ? " + Add" : "")
                + (relu ? " + Relu" : "");
    }

    /** Attributes of a {@link BatchNormalization}; unset ones take ONNX defaults. */
    public static final class Builder {
        private float epsilon = 1e-5f;
        private float momentum = 0.9f;
        private boolean unbiasedRunningVar = true;

        private Builder() {
        }

        /** Added to the variance before the square root (default 1e-5). */
        public Builder epsilon(float v) {
            epsilon = v;
            return this;
        }

        /** Weight of the old running statistics in training mode (ONNX default 0.9 = PyTorch 0.1). */
        public Builder momentum(float v) {
            momentum = v;
            return this;
        }

        /**
         * Whether running_var is updated with the unbiased batch variance (default true, PyTorch's
         * behaviour) or the biased one (ONNX's reference implementation). Not an ONNX attribute.
         */
        public Builder unbiasedRunningVar(boolean v) {
            unbiasedRunningVar = v;
            return this;
        }

        public BatchNormalization build() {
            return new BatchNormalization(this);
        }
    }
}
