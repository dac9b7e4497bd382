package dev.vfiokit.iommucheck.input;

import org.junit.jupiter.api.Test;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.helpers.DefaultHandler;

import javax.xml.parsers.SAXParserFactory;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class AttributeOrderTest {
    /** What a SAX parser reports: the scan must agree with it on every document the secure parser accepts. */
    private static List<List<String>> bySax(String xml) throws Exception {
        List<List<String>> out = new ArrayList<>();
        SAXParserFactory.newInstance().newSAXParser().parse(new InputSource(new StringReader(xml)), new DefaultHandler() {
            @Override
            public void startElement(String uri, String localName, String qName, Attributes atts) {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < atts.getLength(); i++) {
                    names.add(atts.getQName(i));
                }
                out.add(names);
            }
        });
        return out;
    }

    @Test
    void theScanFindsWhatAParserFindsInTheCornersOfTheSyntax() throws Exception {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- a comment with <fake a='1'> and a quote ' -->
                <domain type='kvm' xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0" id = "7">
                  <name>a &lt;b c='d'&gt; e</name>
                  <description><![CDATA[<not x="y"> ' " ]]></description>
                  <?pi <inside q='r'>?>
                  <os
                      firmware="efi"
                      	extra='a > b'><type arch="x86_64">hvm</type></os>
                  <empty/><empty2 z='"'   /><w a="'" b='"'/>
                  <qemu:commandline><qemu:arg value='-x'/></qemu:commandline>
                </domain>
                """;
        assertThat(SecureXml.parseNamespaced(xml, "the test document")).isNotNull();
        assertThat(SecureXml.attributeOrder(xml)).isEqualTo(bySax(xml))
                .startsWith(List.of("type", "xmlns:qemu", "id"));
    }

    @Test
    void theScanAgreesWithAParserOnEveryDomainXmlFixtureOfTheRepository() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        List<Path> files;
        try (Stream<Path> s = Files.walk(repo)) {
            files = s.filter(p -> p.toString().endsWith(".xml") && p.toString().contains("/src/")
                    && !p.toString().contains("/target/")).toList();
        }
        int compared = 0;
        for (Path f : files) {
            String xml;
            try {
                xml = Files.readString(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                SecureXml.parseNamespaced(xml, f.toString());
            } catch (InputRejected e) {
                continue; // the scan is only asked about text the parser accepted
            }
            assertThat(SecureXml.attributeOrder(xml)).as(f.toString()).isEqualTo(bySax(xml));
            compared++;
        }
        assertThat(compared).as("XML files compared").isGreaterThan(10);
    }
}
