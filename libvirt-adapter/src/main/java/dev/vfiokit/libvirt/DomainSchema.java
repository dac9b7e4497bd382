package dev.vfiokit.libvirt;

import com.thaiopensource.util.PropertyMapBuilder;
import com.thaiopensource.validate.IncorrectSchemaException;
import com.thaiopensource.validate.Schema;
import com.thaiopensource.validate.ValidateProperty;
import com.thaiopensource.validate.ValidationDriver;
import com.thaiopensource.validate.Validator;
import com.thaiopensource.validate.rng.SAXSchemaReader;
import dev.vfiokit.iommucheck.input.SecureXml;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * libvirt's own domain schema (domain.rng and what it includes), compiled once per process with Jing and shared by
 * threads (a compiled schema is immutable; each check gets its own validator). What libvirt's validate-on-define
 * does for every document, re-reading the schema each time, is done here once: a document that passes is defined
 * without asking libvirt to validate it again.
 */
public final class DomainSchema {
    /** Where Debian's libvirt (libvirt-daemon-driver-qemu, libvirt-clients) installs its schemas. */
    public static final Path INSTALLED = Path.of("/usr/share/libvirt/schemas/domain.rng");

    private final Schema schema;
    private final Path source;

    private DomainSchema(Schema schema, Path source) {
        this.schema = schema;
        this.source = source;
    }

    private static final class Installed {
        static final Optional<DomainSchema> SCHEMA = Files.isRegularFile(INSTALLED) ? Optional.of(load(INSTALLED)) : Optional.empty();
    }

    /** The schema of the libvirt installed on this machine, compiled on first use; empty where there is none. */
    public static Optional<DomainSchema> installed() {
        return Installed.SCHEMA;
    }

    /** Compiles a Relax NG schema (XML syntax) from a file. */
    public static DomainSchema load(Path rng) {
        try {
            PropertyMapBuilder props = new PropertyMapBuilder();
            props.put(ValidateProperty.XML_READER_CREATOR, (com.thaiopensource.xml.sax.XMLReaderCreator) SecureXml::namespacedReader);
            Schema s = SAXSchemaReader.getInstance().createSchema(ValidationDriver.fileInputSource(rng.toFile()), props.toPropertyMap());
            return new DomainSchema(s, rng);
        } catch (IOException | SAXException | IncorrectSchemaException e) {
            throw new IllegalStateException("cannot compile libvirt's schema " + rng + ": " + e.getMessage(), e);
        }
    }

    public Path source() {
        return source;
    }

    /** Collects the first error of one document; reset between documents. */
    private static final class FirstError implements ErrorHandler {
        String first;

        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) {
            if (first == null) {
                first = "line " + e.getLineNumber() + ": " + e.getMessage();
            }
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            error(e);
            throw e;
        }
    }

    /**
     * One validator per thread, kept: Jing memoizes the derivatives of the schema's patterns in its validator, so a
     * validator used again skips what earlier documents already worked out (a fresh one per document spent most of
     * its time rebuilding that memo). reset() between documents.
     */
    private final class Reusable {
        final FirstError errors = new FirstError();
        final Validator validator;
        final XMLReader reader;

        Reusable() {
            PropertyMapBuilder props = new PropertyMapBuilder();
            props.put(ValidateProperty.ERROR_HANDLER, errors);
            validator = schema.createValidator(props.toPropertyMap());
            reader = SecureXml.namespacedReader();
            reader.setContentHandler(validator.getContentHandler());
            reader.setDTDHandler(validator.getDTDHandler());
            reader.setErrorHandler(errors);
        }
    }

    private final ThreadLocal<Reusable> perThread = ThreadLocal.withInitial(Reusable::new);

    /** The first place a document breaks the schema ("line 12: element "foo" not allowed here"), or empty when it fits. */
    public Optional<String> check(String xml) {
        Reusable r = perThread.get();
        r.errors.first = null;
        r.validator.reset();
        try {
            r.reader.parse(new InputSource(new StringReader(xml)));
        } catch (SAXException | IOException e) {
            if (r.errors.first == null) {
                r.errors.first = e.getMessage();
            }
            // a parse that ended half way leaves the validator mid-document: start the next one afresh
            perThread.remove();
        }
        return Optional.ofNullable(r.errors.first);
    }
}
