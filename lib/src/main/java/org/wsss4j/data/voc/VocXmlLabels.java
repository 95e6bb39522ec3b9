package org.wsss4j.data.voc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.wsss4j.data.ClassList;
import org.xml.sax.SAXException;

/**
 * Image-level labels from VOC's detection annotations ({@code Annotations/<id>.xml}), the way PSA's
 * {@code make_cls_labels.py} builds the {@code cls_labels.npy} that MCTformer, AReAM, ToCo and the
 * others load: every {@code <name>} element anywhere in the file whose text is exactly one of the 20
 * class names marks that class present. Object parts ({@code head}, {@code hand}, …) are not class
 * names and so do not count; {@code difficult} and {@code truncated} objects do count.
 */
public final class VocXmlLabels {
    private VocXmlLabels() {}

    /** Sorted 1-based class indices named in the file; fails naming the file if it is not XML. */
    public static int[] read(Path xml, ClassList classes) throws IOException {
        if (!Files.isRegularFile(xml)) {
            throw new IOException(xml + ": VOC annotation not found");
        }
        Document doc;
        try {
            doc = builder().parse(xml.toFile());
        } catch (SAXException e) {
            throw new IOException(xml + ": not well-formed XML (" + e.getMessage() + ")", e);
        }
        NodeList names = doc.getElementsByTagName("name");
        TreeSet<Integer> present = new TreeSet<>();
        for (int i = 0; i < names.getLength(); i++) {
            Node first = names.item(i).getFirstChild();
            if (first == null || first.getNodeValue() == null) {
                continue;
            }
            int idx = classes.names().indexOf(first.getNodeValue());
            if (idx > 0) {
                present.add(idx);
            }
        }
        return present.stream().mapToInt(Integer::intValue).toArray();
    }

    private static DocumentBuilder builder() throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // Annotation files are data: never resolve external entities or DTDs.
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IOException("no XML parser: " + e.getMessage(), e);
        }
    }
}
