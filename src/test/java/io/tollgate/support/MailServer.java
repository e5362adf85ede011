package io.tollgate.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * A real SMTP server (GreenMail) in the test JVM, started once per JVM on a free port. The running instance is kept
 * in the system properties, so a Quarkus restart with another class loader finds it instead of starting another.
 */
public final class MailServer {
    static final String PROPERTY = "tollgate.test.mail-server";

    /** One received mail, as the tests read it. */
    public record Received(String to, String from, String subject, String text) {
    }

    private MailServer() {
    }

    public static synchronized GreenMail instance() {
        Object running = System.getProperties().get(PROPERTY);
        if (running != null) {
            return (GreenMail) running;
        }
        GreenMail mail = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        Runtime.getRuntime().addShutdownHook(new Thread(mail::stop, "mail-server-stop"));
        System.getProperties().put(PROPERTY, mail);
        return mail;
    }

    public static int port() {
        return instance().getSmtp().getPort();
    }

    /** Every mail received so far for {@code address}. */
    public static List<Received> to(String address) {
        List<Received> out = new ArrayList<>();
        for (MimeMessage message : instance().getReceivedMessages()) {
            try {
                for (var recipient : message.getRecipients(Message.RecipientType.TO)) {
                    if (recipient.toString().equalsIgnoreCase(address)) {
                        out.add(new Received(address, message.getFrom()[0].toString(), message.getSubject(), GreenMailUtil.getBody(message)));
                    }
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
