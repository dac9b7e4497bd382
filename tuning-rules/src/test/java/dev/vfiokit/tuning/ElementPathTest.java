package dev.vfiokit.tuning;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ElementPathTest {
    private static final String XML = "<domain><devices><video/><hostdev type='mdev' display='on'/><hostdev type='mdev'/>"
            + "<hostdev type='pci' display='on'/><graphics type='spice'><audio id='1'/></graphics><graphics type='vnc'><audio/></graphics>"
            + "</devices><devices><video/></devices><metadata><devices><video/></devices></metadata></domain>";

    private static List<Element> xpath(Document doc, String expr) throws Exception {
        NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(expr, doc, XPathConstants.NODESET);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    @Test
    void selectsWhatTheXpathEngineSelectsForEveryRulePathShape() throws Exception {
        Document doc = DomXml.parse(XML, null);
        for (String expr : List.of("/domain/devices/video", "/domain/devices/hostdev[@type='mdev'][@display='on']",
                "/domain/devices/hostdev[@type='mdev']", "/domain/devices/graphics/audio", "/domain/devices/nothing", "/other/devices",
                "/domain")) {
            assertThat(ElementPath.of(expr)).as(expr).isPresent();
            assertThat(ElementPath.of(expr).get().select(doc)).as(expr).containsExactlyElementsOf(xpath(doc, expr));
        }
    }

    @Test
    void otherXpathFormsAreLeftToTheXpathEngine() {
        for (String expr : List.of("//video", "/domain/devices/*", "/domain/devices/hostdev[1]", "devices/video",
                "/domain/devices/hostdev[@type!='pci']", "/domain/devices/video | /domain/devices/sound")) {
            assertThat(ElementPath.of(expr)).as(expr).isEmpty();
        }
    }
}
