package dev.netlens.explain.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TabularCsvTest {
    private static final Path F = Path.of("rows.csv");

    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void encodesNumericAndCategoricalColumnsInCsvOrder() {
        CsvData d = CsvData.parse(F, "age,region,label,income\n30,south,yes,1.5\n41,\"east\",no,2\n\n25,north,yes,-3e1\n");
        TabularSchema s = TabularSchema.infer(d, "label", Set.of(), Set.of(), Map.of());
        assertEquals(List.of("age", "region", "income"), s.names());
        assertEquals(List.of("east", "north", "south"), s.features().get(1).categories());
        double[][] x = s.encode(d);
        assertArrayEquals(new double[] {30, 2, 1.5}, x[0], 0);
        assertArrayEquals(new double[] {25, 1, -30}, x[2], 0);
        assertEquals(5, d.line(2));
        TargetEncoding.Labels y = TargetEncoding.classes(d, "label", null);
        assertEquals(List.of("no", "yes"), y.classes());
        assertArrayEquals(new int[] {1, 0, 1}, y.labels());
    }

    @Test
    void metadataCategoriesFixTheEncodingAndDroppedColumnsAreLeftOut() {
        CsvData d = CsvData.parse(F, "zip,region,id,y\n1000,south,7,0\n2000,east,8,1\n");
        TabularSchema s = TabularSchema.infer(d, "y", Set.of("id"), Set.of(),
                Map.of("netlens.categories.region", "south,east,north", "netlens.categories.zip", "2000,1000"));
        assertEquals(List.of("zip", "region"), s.names());
        assertArrayEquals(new double[] {1, 0}, s.encode(d)[0], 0);
        assertArrayEquals(new double[] {0, 1}, s.encode(d)[1], 0);
        CsvData other = CsvData.parse(F, "zip,region,id,y\n1000,west,7,0\n");
        String m = error(() -> s.encode(other));
        assertTrue(m.contains("line 2") && m.contains("'region'") && m.contains("[south, east, north]"), m);
    }

    @Test
    void strictErrorsNameFileLineColumnAndWhatIsValid() {
        assertTrue(error(() -> CsvData.parse(F, "")).contains("empty"));
        assertTrue(error(() -> CsvData.parse(F, "a,b\n")).contains("no data rows"));
        String ragged = error(() -> CsvData.parse(F, "a,b\n1,2\n3\n"));
        assertTrue(ragged.contains("line 3") && ragged.contains("1 fields"), ragged);
        CsvData d = CsvData.parse(F, "a,b,y\n1,2,0\n3,x7,1\n");
        String missing = error(() -> TabularSchema.infer(d, "label", Set.of(), Set.of(), Map.of()));
        assertTrue(missing.contains("'label'") && missing.contains("--target-column") && missing.contains("[a, b, y]"), missing);
        String numeric = error(() -> TabularSchema.infer(d, "y", Set.of(), Set.of("b"), Map.of()));
        assertTrue(numeric.contains("rows.csv, line 3, column 'b'") && numeric.contains("'x7' is not a number"), numeric);
        String meta = error(() -> TabularSchema.infer(d, "y", Set.of(), Set.of(), Map.of("netlens.numeric", "b")));
        assertTrue(meta.contains("netlens.numeric"), meta);
        // Without a numeric declaration the column is simply categorical.
        assertEquals(false, TabularSchema.infer(d, "y", Set.of(), Set.of(), Map.of()).features().get(1).numeric());
        String empty = error(() -> TabularSchema.infer(CsvData.parse(F, "a,y\n,1\n"), "y", Set.of(), Set.of(), Map.of()));
        assertTrue(empty.contains("line 2, column 'a'") && empty.contains("empty value"), empty);
        String dup = error(() -> CsvData.parse(F, "a,a\n1,2\n"));
        assertTrue(dup.contains("twice"), dup);
    }

    @Test
    void targetsWithClassNamesAcceptNamesAndIndices() {
        CsvData d = CsvData.parse(F, "x,y\n1,cat\n2,1\n3,dog\n");
        assertArrayEquals(new int[] {0, 1, 1}, TargetEncoding.classes(d, "y", List.of("cat", "dog")).labels());
        String m = error(() -> TargetEncoding.classes(CsvData.parse(F, "x,y\n1,cow\n"), "y", List.of("cat", "dog")));
        assertTrue(m.contains("line 2") && m.contains("'cow'") && m.contains("[cat, dog]"), m);
    }
}
