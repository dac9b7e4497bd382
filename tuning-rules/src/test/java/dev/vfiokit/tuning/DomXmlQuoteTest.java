package dev.vfiokit.tuning;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-pass test for a quote written as itself in text agrees with the regular expression it replaced. */
class DomXmlQuoteTest {
    private static final Pattern BEFORE = Pattern.compile(">[^<]*['\"][^<]*<");

    @Test
    void aQuoteInTextIsFoundAndQuotesInAttributesAreNot() {
        List<String> samples = List.of(
                "<domain type='kvm'><name>a</name></domain>",
                "<domain><description>say \"hi\"</description></domain>",
                "<domain><description>it's</description></domain>",
                "<domain><title x=\"1\">plain</title></domain>",
                "<a x='>'/><b/>",
                "<a>text with ' but no end",
                "'<a/>",
                "<a>x>y'z</a>",
                "");
        for (String s : samples) {
            assertThat(DomXml.rawQuoteInText(s)).as(s).isEqualTo(BEFORE.matcher(s).find());
        }
        assertThat(DomXml.rawQuoteInText("<domain><description>say \"hi\"</description></domain>")).isTrue();
        assertThat(DomXml.rawQuoteInText("<domain type='kvm'><name>a</name></domain>")).isFalse();
    }
}
