package io.parley.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class QuietLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("io.parley.logs.QuietLogTest.quiet");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final AtomicLong now = new AtomicLong(1_000_000);

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void aThousandRefusalsMakeOneLineAMinutePerReasonWithTheCountLeftOut() {
        QuietLog log = new QuietLog(logger, Duration.ofMinutes(1), now::get);
        for (int i = 0; i < 1000; i++) {
            log.info("origin", "Refused a handshake");
            now.addAndGet(2); // 1,000 in 2 s
        }
        log.info("busy", "Refused a conversation");
        assertEquals(2, lines.list.size(), "one line per reason: " + lines.list);
        assertEquals("Refused a handshake", lines.list.get(0).getFormattedMessage());

        now.addAndGet(Duration.ofMinutes(1).toMillis());
        log.info("origin", "Refused a handshake");
        assertEquals("Refused a handshake (999 more since the last such line)", lines.list.get(2).getFormattedMessage());
        log.info("origin", "Refused a handshake");
        assertEquals(3, lines.list.size());
    }

    @Test
    void whatWasLeftOutIsWrittenOnceItsMinuteIsOverEvenIfNoMoreCome() {
        QuietLog log = new QuietLog(logger, Duration.ofMinutes(1), now::get);
        for (int i = 0; i < 50; i++) {
            log.info("busy", "Refused a conversation");
        }
        log.flush();
        assertEquals(1, lines.list.size(), "the minute is not over");
        now.addAndGet(Duration.ofMinutes(1).toMillis());
        log.flush();
        log.flush();
        assertEquals(2, lines.list.size());
        assertEquals("Refused a conversation (49 more since the last such line)", lines.list.get(1).getFormattedMessage());
    }

    @Test
    void aNodeThatStopsWritesWhatWasLeftOutWhateverItsMinute() {
        QuietLog log = new QuietLog(logger, Duration.ofMinutes(1), now::get);
        for (int i = 0; i < 5; i++) {
            log.info("busy", "Refused a conversation");
        }
        log.flushAll();
        log.flushAll();
        assertEquals(2, lines.list.size(), "once, not at every call");
        assertEquals("Refused a conversation (4 more since the last such line)", lines.list.get(1).getFormattedMessage());
    }

    @Test
    void outsideTextIsClippedToOneBoundedLine() {
        assertEquals("short", LogText.clip("short"));
        assertEquals("a b c d e", LogText.clip("a\nb\rc\u0085d\u2028e"), "no forged lines");
        String emoji = "x".repeat(LogText.MAX_LENGTH - 1) + "\uD83D\uDE00";
        assertEquals("x".repeat(LogText.MAX_LENGTH - 1) + "… (201 characters)", LogText.clip(emoji), "no half character");
        String clipped = LogText.clip("x".repeat(100_181));
        assertEquals("x".repeat(LogText.MAX_LENGTH) + "… (100181 characters)", clipped);
        assertTrue(LogText.clip(null).equals("null"));
    }
}
