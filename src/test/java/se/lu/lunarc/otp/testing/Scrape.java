package se.lu.lunarc.otp.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a metrics endpoint, in Prometheus's text format, read back by series name and labels. */
public record Scrape(String text) {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The labels of each sample of {@code name}. */
    public List<Map<String, String>> labels(String name) {
        return text.lines().map(SAMPLE::matcher).filter(Matcher::matches).filter(m -> m.group(1).equals(name))
                .map(m -> labelsOf(m.group(3))).toList();
    }

    /** The sum of the samples of {@code name} whose labels include {@code with}; 0 when there is none. */
    public double value(String name, Map<String, String> with) {
        double sum = 0;
        for (String line : text.lines().toList()) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches() && m.group(1).equals(name) && labelsOf(m.group(3)).entrySet().containsAll(with.entrySet())) {
                sum += Double.parseDouble(m.group(4));
            }
        }
        return sum;
    }

    public double value(String name) {
        return value(name, Map.of());
    }

    /** Whether any sample of {@code name} is there at all. */
    public boolean has(String name) {
        return !labels(name).isEmpty();
    }

    private static Map<String, String> labelsOf(String list) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (list != null) {
            Matcher l = LABEL.matcher(list);
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
        }
        return labels;
    }
}
