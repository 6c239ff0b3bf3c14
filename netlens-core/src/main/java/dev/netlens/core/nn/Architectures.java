package dev.netlens.core.nn;

import dev.netlens.core.graph.Graph;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named model architectures for {@code netlens train --arch NAME}, built with {@link NetBuilder}
 * for any input shape [C, H, W] and class count. Input "input", output "logits".
 *
 * <ul>
 *   <li>{@code resnet8}, {@code resnet14}, {@code resnet20}: CIFAR-style residual networks (He et
 *       al., "Deep Residual Learning for Image Recognition", CVPR 2016, §4.2): a 3×3 stem with
 *       16 channels, three stages of 1, 2 or 3 basic blocks with 16, 32, 64 channels (stages 2 and 3
 *       halve the resolution), global average pooling, a linear classifier.
 *       {@code resnet8-wide}: the same with 32, 64, 128 channels.</li>
 *   <li>{@code lenet5}: LeCun et al., "Gradient-based learning applied to document recognition",
 *       1998, with ReLU and max pooling (conv5×5·6 → pool → conv5×5·16 → pool → 120 → 84 → classes).</li>
 *   <li>{@code mlp}: flatten → 256 → ReLU → 128 → ReLU → classes.</li>
 * </ul>
 */
public final class Architectures {
    private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        DESCRIPTIONS.put("resnet8", "residual network, 3 stages x 1 basic block, widths 16/32/64");
        DESCRIPTIONS.put("resnet8-wide", "residual network, 3 stages x 1 basic block, widths 32/64/128");
        DESCRIPTIONS.put("resnet14", "residual network, 3 stages x 2 basic blocks, widths 16/32/64");
        DESCRIPTIONS.put("resnet20", "residual network, 3 stages x 3 basic blocks, widths 16/32/64");
        DESCRIPTIONS.put("lenet5", "LeNet-5 with ReLU and max pooling");
        DESCRIPTIONS.put("mlp", "two hidden layers (256, 128) with ReLU");
    }

    private Architectures() {
    }

    /** Architecture names with a one-line description. */
    public static Map<String, String> names() {
        return Map.copyOf(DESCRIPTIONS);
    }

    /** Builds architecture {@code name} for inputs [C, H, W] and {@code classes} outputs from a seed. */
    public static Graph create(String name, int[] inputShape, int classes, long seed) {
        if (inputShape.length != 3) {
            throw new IllegalArgumentException("architectures take image inputs [C, H, W], got " + inputShape.length
                    + " dimensions");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
        NetBuilder b = new NetBuilder(seed).input("input", inputShape);
        String x = switch (name) {
            case "resnet8" -> cifarResNet(b, 1, 16);
            case "resnet8-wide" -> cifarResNet(b, 1, 32);
            case "resnet14" -> cifarResNet(b, 2, 16);
            case "resnet20" -> cifarResNet(b, 3, 16);
            case "lenet5" -> lenet5(b);
            case "mlp" -> mlp(b);
            default -> throw new IllegalArgumentException("unknown architecture '" + name + "'; valid: "
                    + String.join(", ", DESCRIPTIONS.keySet()));
        };
        return b.build(b.linear("fc", x, classes, "logits"));
    }

    private static String cifarResNet(NetBuilder b, int blocks, int width) {
        String x = b.conv2d("conv1", "input", width, 3, 1, 1, false);
        x = b.relu("relu", b.batchNorm2d("bn1", x));
        int[] widths = {width, 2 * width, 4 * width};
        for (int stage = 0; stage < 3; stage++) {
            for (int block = 0; block < blocks; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                x = b.residualBlock("layer" + (stage + 1) + "." + block, x, widths[stage], stride);
            }
        }
        return b.flatten("flatten", b.globalAvgPool("avgpool", x));
    }

    private static String lenet5(NetBuilder b) {
        b.init(Init.PYTORCH_DEFAULT);
        int[] s = b.shape("input");
        int pad = s[1] <= 28 ? 2 : 0;
        String x = b.relu("relu1", b.conv2d("conv1", "input", 6, 5, 1, pad));
        x = b.maxPool("pool1", x, 2, 2);
        x = b.relu("relu2", b.conv2d("conv2", x, 16, 5, 1, 0));
        x = b.maxPool("pool2", x, 2, 2);
        x = b.flatten("flatten", x);
        x = b.relu("relu3", b.linear("fc1", x, 120));
        return b.relu("relu4", b.linear("fc2", x, 84));
    }

    private static String mlp(NetBuilder b) {
        b.init(Init.PYTORCH_DEFAULT);
        String x = b.flatten("flatten", "input");
        x = b.relu("relu1", b.linear("fc1", x, 256));
        return b.relu("relu2", b.linear("fc2", x, 128));
    }

    /** The architectures' names, in a stable order. */
    public static List<String> list() {
        return List.copyOf(DESCRIPTIONS.keySet());
    }
}
