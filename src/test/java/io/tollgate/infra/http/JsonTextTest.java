package io.tollgate.infra.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class JsonTextTest {
    @Test
    void writesValidJsonWhateverTheText() throws Exception {
        String nasty = "quote\" backslash\\ newline\n tab\t nul\u0000 bell\u0007 unicode é € \uD83D\uDE00";
        TreeMap<String, String> ref = new TreeMap<>();
        ref.put("b\"k", nasty);
        ref.put("a", "1");
        String json = new JsonText().string("s", nasty).number("n", -9007199254740991L).number("absent", null)
                .bool("t", true).strings("ref", ref).end();
        JsonNode node = new ObjectMapper().readTree(json);
        assertEquals(nasty, node.get("s").asText());
        assertEquals(-9007199254740991L, node.get("n").asLong());
        assertEquals(false, node.has("absent"));
        assertEquals(true, node.get("t").asBoolean());
        assertEquals(nasty, node.get("ref").get("b\"k").asText());
        assertEquals("{\"a\":\"1\",", json.substring(json.indexOf("\"ref\":") + 6, json.indexOf("\"ref\":") + 15));
    }
}
