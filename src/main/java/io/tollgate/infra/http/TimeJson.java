package io.tollgate.infra.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.tollgate.infra.Times;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Every instant in every answer is written as {@link Times#RFC3339_MILLIS}: one format, fixed width, UTC, whatever
 * Java type or database column it came from.
 */
@Singleton
public class TimeJson implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("tollgate-times");
        module.addSerializer(Instant.class, new StdSerializer<>(Instant.class) {
            @Override
            public void serialize(Instant value, JsonGenerator out, SerializerProvider provider) throws IOException {
                out.writeString(Times.format(value));
            }
        });
        module.addSerializer(OffsetDateTime.class, new StdSerializer<>(OffsetDateTime.class) {
            @Override
            public void serialize(OffsetDateTime value, JsonGenerator out, SerializerProvider provider) throws IOException {
                out.writeString(Times.format(value.toInstant()));
            }
        });
        mapper.registerModule(module);
    }

    /** After Quarkus' own modules (JavaTimeModule), so these serializers win. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }
}
