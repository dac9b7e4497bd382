package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** An element whose meaning is its state attribute: {@code <vmport state="off"/>}, {@code <hidden state="on"/>}. */
@XmlAccessorType(XmlAccessType.FIELD)
public class State {
    @XmlAttribute(name = "state")
    public String state;

    public State() {
    }

    public State(boolean on) {
        this.state = on ? "on" : "off";
    }
}
