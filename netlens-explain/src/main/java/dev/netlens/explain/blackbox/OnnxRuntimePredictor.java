package dev.netlens.explain.blackbox;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * An ONNX model run by ONNX Runtime (Java): the fast forward-only backend for model-agnostic
 * methods, and the way to explain models that use operators the netlens engine cannot run or
 * differentiate. The model must have one float input and its first output must be the scores
 * [N, K]. Runs with {@code -Dnetlens.threads} intra-op threads (all cores by default), one
 * inter-op thread. Not thread-safe; close it to release the native session.
 */
public final class OnnxRuntimePredictor implements Predictor {
    private final Path file;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;
    private final String output;
    private final int[] inputShape;
    private final int maxBatch;
    private final int[] declaredShape;
    private final Map<String, String> metadata;
    private String sha256;

    private OnnxRuntimePredictor(Path file, OrtEnvironment env, OrtSession session) throws OrtException {
        this.file = file;
        this.env = env;
        this.session = session;
        if (session.getInputNames().size() != 1) {
            throw new IllegalArgumentException(file + ": a black-box predictor needs a model with one input, this one has "
                    + session.getInputNames());
        }
        Map.Entry<String, NodeInfo> in = session.getInputInfo().entrySet().iterator().next();
        this.input = in.getKey();
        this.output = session.getOutputNames().iterator().next();
        if (!(in.getValue().getInfo() instanceof TensorInfo ti)
                || ti.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException(file + ": input '" + input + "' must be a float tensor, it is "
                    + in.getValue().getInfo());
        }
        long[] s = ti.getShape();
        int[] shape = new int[Math.max(0, s.length - 1)];
        for (int i = 1; i < s.length; i++) {
            shape[i - 1] = (int) s[i];
        }
        this.inputShape = shape;
        this.declaredShape = Arrays.stream(s).mapToInt(d -> (int) d).toArray();
        this.metadata = Map.copyOf(session.getMetadata().getCustomMetadata());
        this.maxBatch = s.length > 0 && s[0] > 0 ? (int) s[0] : Integer.MAX_VALUE;
    }

    /** Opens {@code model} in ONNX Runtime; a missing or unreadable file is an {@link IllegalArgumentException}. */
    public static OnnxRuntimePredictor load(Path model) {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("model file " + model + " does not exist or is not a file");
        }
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            String threads = System.getProperty("netlens.threads");
            o.setIntraOpNumThreads(threads == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(threads));
            o.setInterOpNumThreads(1);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = env.createSession(model.toString(), o);
            try {
                return new OnnxRuntimePredictor(model, env, session);
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load " + model + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Tensor predict(Tensor batch) {
        long[] shape = Arrays.stream(batch.shape()).asLongStream().toArray();
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch.data()), shape);
             OrtSession.Result r = session.run(Map.of(input, t))) {
            OnnxValue v = r.get(output).orElseThrow();
            if (!(v instanceof OnnxTensor out) || out.getInfo().type != ai.onnxruntime.OnnxJavaType.FLOAT) {
                throw new IllegalStateException(file + ": output '" + output + "' is not a float tensor");
            }
            long[] os = out.getInfo().getShape();
            int[] dims = Arrays.stream(os).mapToInt(d -> (int) d).toArray();
            FloatBuffer fb = out.getFloatBuffer();
            float[] data = new float[fb.remaining()];
            fb.get(data);
            return Tensor.of(data, dims);
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime failed on " + file + " with input "
                    + Shapes.toString(batch.shape()) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** The declared input shape with the batch axis (−1 where the model leaves an extent open). */
    public int[] declaredInputShape() {
        return declaredShape.clone();
    }

    /** The model's custom metadata (e.g. netlens.mean, netlens.classes). */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public String sha256() {
        if (sha256 == null) {
            sha256 = dev.netlens.explain.ExplainedModel.sha256(file);
        }
        return sha256;
    }

    @Override
    public String describe() {
        return "onnxruntime:" + file.getFileName();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX Runtime session of " + file + ": " + e.getMessage(), e);
        }
    }
}
