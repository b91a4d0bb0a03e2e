package se.lu.lunarc.otp.server.store;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migrations are files under resources, applied in the order {@link Migrations} lists them: every file is
 * listed, in the order of its number, and each is named once; a file left out would never run.
 */
class MigrationsTest {
    private static final Path FOLDER = Path.of("src/main/resources/se/lu/lunarc/otp/server/store/migrations");

    @Test
    void everyMigrationFileIsListedInTheOrderOfItsNumber() throws Exception {
        assertThat(Migrations.SQLITE).containsExactlyElementsOf(files("sqlite"));
        assertThat(Migrations.POSTGRESQL).containsExactlyElementsOf(files("postgresql"));
        for (List<String> names : List.of(Migrations.SQLITE, Migrations.POSTGRESQL)) {
            for (int i = 0; i < names.size(); i++) {
                assertThat(names.get(i)).startsWith(String.format("%03d-", i + 1));
            }
        }
    }

    private static List<String> files(String dialect) throws Exception {
        try (Stream<Path> all = Files.list(FOLDER.resolve(dialect))) {
            return all.map(p -> p.getFileName().toString().replaceFirst("\\.sql$", "")).sorted().toList();
        }
    }
}
