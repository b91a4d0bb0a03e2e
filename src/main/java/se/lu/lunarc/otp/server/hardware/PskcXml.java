package se.lu.lunarc.otp.server.hardware;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Reading a PSKC document's XML: parsed without DTDs or external entities, elements found by namespace and name. */
final class PskcXml {
    private PskcXml() {
    }

    static Document parse(InputStream in) throws Pskc.Refused, IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(in);
        } catch (SAXParseException e) {
            throw new Pskc.Refused("not a well-formed PSKC file (line " + e.getLineNumber() + ": "
                    + e.getMessage() + ")");
        } catch (SAXException e) {
            throw new Pskc.Refused("not a well-formed PSKC file (" + e.getMessage() + ")");
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the XML parser cannot be made safe", e);
        }
    }

    static byte[] base64(Element e, String what) throws Pskc.Refused {
        try {
            return Base64.getMimeDecoder().decode(text(e).strip());
        } catch (IllegalArgumentException bad) {
            throw new Pskc.Refused(what + " is not valid base64");
        }
    }

    static int number(Element e, String what) throws Pskc.Refused {
        try {
            return Integer.parseInt(text(e).strip());
        } catch (NumberFormatException bad) {
            throw new Pskc.Refused("the PBKDF2 " + what + " is not a number");
        }
    }

    static String text(Element e) {
        return e == null ? null : e.getTextContent();
    }

    /** The first child element with this name, in this namespace (null: any or none). */
    static Element child(Element parent, String namespace, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())
                    && (namespace == null || namespace.equals(e.getNamespaceURI()))) {
                return e;
            }
        }
        return null;
    }

    static List<Element> children(Element parent, String namespace, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName()) && namespace.equals(e.getNamespaceURI())) {
                out.add(e);
            }
        }
        return out;
    }
}
