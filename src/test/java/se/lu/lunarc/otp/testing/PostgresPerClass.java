package se.lu.lunarc.otp.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL for the tests of one class, started before the first and stopped after the last:
 * {@code @RegisterExtension static final PostgresPerClass postgres = new PostgresPerClass();}. Each test takes a
 * database of its own with {@link #newDatabase}.
 */
public final class PostgresPerClass implements BeforeAllCallback, AfterAllCallback {
    private Postgres postgres;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        postgres = Postgres.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    /** The running server. */
    public Postgres server() {
        if (postgres == null) {
            throw new IllegalStateException("PostgreSQL runs only while the class's tests do");
        }
        return postgres;
    }

    /** A new, empty database owned by {@link Postgres#USER}; its JDBC URL. */
    public String newDatabase() throws java.sql.SQLException {
        return server().newDatabase();
    }
}
