package dev.netlens.bench;

import dev.netlens.core.kernels.ConvGeometry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The distinct convolution shapes of torchvision's ResNet-18 at 224×224, with how many times each
 * occurs in the network (so per-layer rates can be weighted into a whole-network figure).
 */
final class ResNet18Layers {
    /** One layer shape. */
    record Layer(String name, int inChannels, int size, int outChannels, int kernel, int stride, int pad,
                 int occurrences) {
        ConvGeometry geometry(int batch) {
            return new ConvGeometry(batch, inChannels, size, size, outChannels, 1, kernel, kernel, stride, stride,
                    1, 1, new int[] {pad, pad, pad, pad});
        }
    }

    static final Map<String, Layer> LAYERS = new LinkedHashMap<>();

    static {
        add(new Layer("conv1", 3, 224, 64, 7, 2, 3, 1));
        add(new Layer("layer1", 64, 56, 64, 3, 1, 1, 4));
        add(new Layer("layer2.0.conv1", 64, 56, 128, 3, 2, 1, 1));
        add(new Layer("layer2", 128, 28, 128, 3, 1, 1, 3));
        add(new Layer("layer2.downsample", 64, 56, 128, 1, 2, 0, 1));
        add(new Layer("layer3.0.conv1", 128, 28, 256, 3, 2, 1, 1));
        add(new Layer("layer3", 256, 14, 256, 3, 1, 1, 3));
        add(new Layer("layer3.downsample", 128, 28, 256, 1, 2, 0, 1));
        add(new Layer("layer4.0.conv1", 256, 14, 512, 3, 2, 1, 1));
        add(new Layer("layer4", 512, 7, 512, 3, 1, 1, 3));
        add(new Layer("layer4.downsample", 256, 14, 512, 1, 2, 0, 1));
    }

    private static void add(Layer l) {
        LAYERS.put(l.name(), l);
    }

    private ResNet18Layers() {
    }
}
