package dev.effort.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The BOM has no parent (so it pins Effort's modules only): it must be kept in step with the build by hand. */
class BomTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void theBomListsEveryModuleAtTheProjectVersion() throws Exception {
    Document parent = read(ROOT.resolve("pom.xml"));
    Document bom = read(ROOT.resolve("effort-bom/pom.xml"));
    List<String> modules = new ArrayList<>(texts(parent.getDocumentElement(), "module"));
    modules.remove("effort-bom");

    Element managed = (Element) bom.getElementsByTagName("dependencyManagement").item(0);
    assertThat(texts(managed, "artifactId")).containsExactlyInAnyOrderElementsOf(modules);
    assertThat(texts(managed, "groupId")).containsOnly("dev.effort");
    assertThat(texts(managed, "version")).containsOnly("${project.version}");
    assertThat(child(bom.getDocumentElement(), "version")).isEqualTo(child(parent.getDocumentElement(), "version"));
    assertThat(child(bom.getDocumentElement(), "groupId")).isEqualTo(child(parent.getDocumentElement(), "groupId"));
  }

  private static Document read(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  private static List<String> texts(Element under, String tag) {
    NodeList nodes = under.getElementsByTagName(tag);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add(nodes.item(i).getTextContent().trim());
    }
    return out;
  }

  /** The text of a direct child element (the project's own groupId or version, not a dependency's). */
  private static String child(Element element, String tag) {
    NodeList nodes = element.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element e && e.getTagName().equals(tag)) {
        return e.getTextContent().trim();
      }
    }
    throw new AssertionError("no <" + tag + "> in " + element.getTagName());
  }
}
