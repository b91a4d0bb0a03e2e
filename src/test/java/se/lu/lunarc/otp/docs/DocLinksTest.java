package se.lu.lunarc.otp.docs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link and anchor in the README and under docs/ leads somewhere: the file or folder exists, and an
 * anchor names a heading of its page as a forge makes its id (lower case, punctuation dropped, spaces to hyphens).
 */
class DocLinksTest {
    /** A Markdown link or image: [text](target) or ![alt](target), with an optional "title". */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    @Test
    void everyRelativeLinkAndAnchorInTheReadmeAndTheDocsResolves() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.walk(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertThat(pages).as("the docs by task").hasSizeGreaterThanOrEqualTo(10);
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            List<String> found = brokenLinks(page);
            broken.addAll(found);
            checked += links(page).size();
        }
        assertThat(checked).as("links checked").isGreaterThan(40);
        assertThat(broken).isEmpty();
    }

    @Test
    void aMissingFileAMissingAnchorAndAMissingHeadingOnAnotherPageAreEachFound(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("other.md"), "# Other page\n\n## Logging in: PAM & sshd\n\n## Via SSH (textläge)\n");
        Files.writeString(dir.resolve("page.md"), """
                # A page

                ## The `store`, and two nodes

                [fine](other.md#logging-in-pam--sshd) [fine too](other.md#via-ssh-textläge) [here](#the-store-and-two-nodes)
                [gone](missing.md) [no such anchor](other.md#nowhere) [not here](#elsewhere)
                ![a picture](pictures/none.png) [the web](https://example.org/x.md)

                ```
                [inside a code block](not-checked.md)
                ```
                and `[inline code](not-checked-either.md)`
                """);
        assertThat(brokenLinks(dir.resolve("page.md"))).extracting(s -> s.substring(s.indexOf(": ") + 2))
                .containsExactly("missing.md", "other.md#nowhere", "#elsewhere", "pictures/none.png");
    }

    /** The links of a page outside code blocks and inline code, external ones left out. */
    private static List<String> links(Path page) throws IOException {
        List<String> links = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(page)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", ""));
            while (m.find()) {
                String target = m.group(1);
                if (!target.matches("^[a-z][a-z0-9+.-]*:.*")) { // http:, https:, mailto: are not ours to check
                    links.add(target);
                }
            }
        }
        return links;
    }

    private static List<String> brokenLinks(Path page) throws IOException {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        for (String link : links(page)) {
            int hash = link.indexOf('#');
            String file = hash < 0 ? link : link.substring(0, hash);
            Path target = file.isEmpty() ? page : page.toAbsolutePath().getParent().resolve(file).normalize();
            if (!Files.exists(target)) {
                broken.add(page + ": " + link);
            } else if (hash >= 0 && !anchors.computeIfAbsent(target, DocLinksTest::anchorsOf)
                    .contains(link.substring(hash + 1))) {
                broken.add(page + ": " + link);
            }
        }
        return broken;
    }

    /** The ids a forge gives a page's headings: the second heading of one text gets "-1", the third "-2". */
    private static Set<String> anchorsOf(Path page) {
        Set<String> ids = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        try {
            for (String line : Files.readAllLines(page)) {
                if (line.strip().startsWith("```")) {
                    fenced = !fenced;
                }
                Matcher h = HEADING.matcher(line);
                if (fenced || !h.matches()) {
                    continue;
                }
                String id = slug(h.group(1));
                int n = seen.merge(id, 1, Integer::sum);
                ids.add(n == 1 ? id : id + "-" + (n - 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1"); // a link in a heading: its text
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
    }
}
