package dev.netlens.core.onnx;

import java.util.List;
import java.util.Map;

/** A ModelProto: IR version, opset imports, producer, the main graph and metadata_props. */
public record OnnxModel(long irVersion, List<OnnxOpset> opsets, String producerName, String producerVersion,
                        String domain, long modelVersion, String docString, OnnxGraph graph,
                        Map<String, String> metadata) {

    /** The version of the default ONNX domain this model imports, or 0 when it imports none. */
    public long defaultOpsetVersion() {
        for (OnnxOpset o : opsets) {
            if (o.isDefaultDomain()) {
                return o.version();
            }
        }
        return 0;
    }
}
