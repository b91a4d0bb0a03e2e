package se.lu.lunarc.otp.server.hardening;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/security.md: every ASVS row has a status, and every row marked met names tests that exist. */
class AsvsTableTest {
    private static final Pattern ROW = Pattern.compile("^\\| (\\d+\\.\\d+\\.\\d+) \\|[^|]*\\| (met|not met|n/a) \\|(.*)\\|$");
    private static final Pattern TEST = Pattern.compile("`(\\w+)#(\\w+)`");

    @Test
    void everyRowMarkedMetNamesATestThatExists() throws Exception {
        List<String> rows = new ArrayList<>();
        int met = 0;
        for (String line : Files.readAllLines(Path.of("docs/security.md"))) {
            if (!line.matches("^\\| \\d+\\.\\d+\\.\\d+ .*")) {
                continue;
            }
            Matcher row = ROW.matcher(line);
            assertThat(row.matches()).as("a row with a status: " + line).isTrue();
            rows.add(row.group(1));
            if (row.group(2).equals("met")) {
                met++;
                Matcher test = TEST.matcher(row.group(3));
                int named = 0;
                while (test.find()) {
                    named++;
                    assertThat(testMethod(test.group(1), test.group(2))).as(row.group(1) + " names " + test.group())
                            .isTrue();
                }
                assertThat(named).as(row.group(1) + " is met: which test shows it?").isPositive();
            } else {
                assertThat(row.group(3).strip()).as(row.group(1) + " needs its reason").hasSizeGreaterThan(10);
            }
        }
        // V2.2 (7), V2.7 (6), V2.8 (7) and V3 (20) of ASVS 4.0.3, each once; the rows of V7 (7) and V11 (2)
        // that the rules on refusals and limits touch; and V6.4 (2), secret management
        assertThat(rows).doesNotHaveDuplicates().hasSize(51);
        assertThat(rows).contains("6.4.1", "6.4.2");
        assertThat(rows).contains("7.1.3", "7.3.3", "11.1.4");
        assertThat(rows).contains("2.2.1", "2.7.5", "2.8.4", "3.3.2", "3.7.1");
        assertThat(met).isGreaterThan(20);
    }

    /** Whether a test class of that simple name has a method of that name. */
    private static boolean testMethod(String className, String method) throws Exception {
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals(className + ".java")).toList()) {
                String name = Path.of("src/test/java").relativize(f).toString().replace('/', '.').replace(".java", "");
                Method[] methods = Class.forName(name).getDeclaredMethods();
                if (Arrays.stream(methods).anyMatch(m -> m.getName().equals(method))) {
                    return true;
                }
            }
        }
        return false;
    }
}
