package io.tollgate.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import java.util.Map;

/** Points the mailer of every test at the JVM's {@link MailServer}. Global: no test restarts Quarkus for it. */
@WithTestResource(value = MailServerResource.class, scope = TestResourceScope.GLOBAL)
public class MailServerResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port", String.valueOf(MailServer.port()));
    }

    @Override
    public void stop() {
        // the server outlives Quarkus restarts; it stops with the JVM
    }
}
