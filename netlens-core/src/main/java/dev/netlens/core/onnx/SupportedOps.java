package dev.netlens.core.onnx;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The op table as documentation: a Markdown table of the ONNX ops netlens imports, with the opset
 * versions at which their converters start (the README's "ONNX ops" section is generated from it;
 * {@code java -cp … dev.netlens.core.onnx.SupportedOps} prints it).
 */
public final class SupportedOps {
    private SupportedOps() {
    }

    /** Markdown: one row per op type with its converter versions, then the ops folded at load time. */
    public static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("Opsets ").append(OnnxOps.MIN_OPSET).append("–").append(OnnxOps.MAX_OPSET)
                .append(" of the default domain. A node uses the entry with the highest version not above the"
                        + " model's opset; later entries mark changed semantics (attributes that became inputs,"
                        + " new axis rules).\n\n");
        b.append("| op | from opset (semantic versions) |\n| --- | --- |\n");
        for (Map.Entry<String, int[]> e : OnnxOps.supported().entrySet()) {
            int[] v = e.getValue();
            b.append("| ").append(e.getKey()).append(" | ")
                    .append(Arrays.stream(v).mapToObj(i -> Integer.toString(Math.max(i, OnnxOps.MIN_OPSET)))
                            .distinct().collect(Collectors.joining(", ")))
                    .append(" |\n");
        }
        TreeSet<String> folded = new TreeSet<>(ConstantFolder.OPS);
        folded.removeAll(OnnxOps.supported().keySet());
        b.append("\nEvaluated at load time when their inputs are known (shape computations): ")
                .append(String.join(", ", folded)).append(".\n");
        return b.toString();
    }

    /** Every op type the importer accepts (converted or folded), one per line. */
    public static String opTypes() {
        TreeSet<String> all = new TreeSet<>(OnnxOps.supported().keySet());
        all.addAll(ConstantFolder.OPS);
        return String.join("\n", all) + "\n";
    }

    public static void main(String[] args) {
        System.out.print(args.length > 0 && args[0].equals("--types") ? opTypes() : markdown());
    }
}
