package dev.vfiokit.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest {
    @Test
    void writesWhatAJsonParserReadsBackWithKeysInOrderAndEscapes() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", "demo \"quoted\" \\ back\nslash\ttab\u0001");
        m.put("exitCode", 1);
        m.put("ok", true);
        m.put("missing", null);
        m.put("list", List.of("a", 2, List.of()));
        m.put("empty", Map.of());
        List<Object> nested = new ArrayList<>();
        nested.add(Map.of("id", "x"));
        m.put("findings", nested);
        String json = Json.write(m);
        JsonNode back = new ObjectMapper().readTree(json);
        assertThat(back.get("host").asText()).isEqualTo("demo \"quoted\" \\ back\nslash\ttab\u0001");
        assertThat(back.get("exitCode").asInt()).isEqualTo(1);
        assertThat(back.get("ok").asBoolean()).isTrue();
        assertThat(back.get("missing").isNull()).isTrue();
        assertThat(back.get("list").get(1).asInt()).isEqualTo(2);
        assertThat(back.get("findings").get(0).get("id").asText()).isEqualTo("x");
        assertThat(back.fieldNames()).toIterable().containsExactly("host", "exitCode", "ok", "missing", "list", "empty", "findings");
    }
}
