package io.parley.emulator.v3;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A customer of the Customer Chat API: its id ({@code entity_id}) and what it told about itself. */
public final class Customer {

    private final String id;
    private String name;
    private String email;
    private String avatar;
    private List<Map<String, Object>> sessionFields = List.of();
    private Instant eventsSeenUpTo;
    private int pageViews;

    Customer(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public synchronized String name() {
        return name;
    }

    public synchronized String email() {
        return email;
    }

    /** Sets what is given (null leaves a field as it is). */
    synchronized void update(String newName, String newEmail, String newAvatar, List<Map<String, Object>> fields) {
        if (newName != null) {
            name = newName;
        }
        if (newEmail != null) {
            email = newEmail;
        }
        if (newAvatar != null) {
            avatar = newAvatar;
        }
        if (fields != null) {
            sessionFields = List.copyOf(fields);
        }
    }

    /** The last greeting sent to the customer: its ids, its text and whether it was accepted or canceled. */
    record Greeting(int greetingId, String uniqueId, String text, String state) {
    }

    private Greeting greeting;

    synchronized void greeted(Greeting sent) {
        greeting = sent;
    }

    /** The last greeting, answered: false if it is not the one with this id (or its configured id differs). */
    synchronized boolean answerGreeting(String uniqueId, Integer greetingId, String state) {
        if (greeting == null || !greeting.uniqueId().equals(uniqueId)
                || greetingId != null && greetingId != greeting.greetingId()) {
            return false;
        }
        greeting = new Greeting(greeting.greetingId(), uniqueId, greeting.text(), state);
        return true;
    }

    synchronized Greeting greeting() {
        return greeting;
    }

    synchronized void seenUpTo(Instant instant) {
        if (eventsSeenUpTo == null || instant.isAfter(eventsSeenUpTo)) {
            eventsSeenUpTo = instant;
        }
    }

    synchronized Instant eventsSeenUpTo() {
        return eventsSeenUpTo;
    }

    synchronized void viewedPage() {
        pageViews++;
    }

    /** The page the customer is on ({@code url}, and {@code title} or null), as the agents see it. */
    record Page(String url, String title) {
    }

    private Page page;

    synchronized void viewedPage(String url, String title) {
        pageViews++;
        page = new Page(url, title);
    }

    synchronized Page page() {
        return page;
    }

    synchronized int pageViews() {
        return pageViews;
    }

    /** The customer as {@code get_customer} answers: optional fields only when set. */
    synchronized Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("type", "customer");
        if (name != null) {
            json.put("name", name);
        }
        if (email != null) {
            json.put("email", email);
        }
        if (avatar != null) {
            json.put("avatar", avatar);
        }
        if (!sessionFields.isEmpty()) {
            json.put("session_fields", new ArrayList<>(sessionFields));
        }
        return json;
    }

    /** The customer as a chat's {@code users} list shows it. */
    synchronized Map<String, Object> asUser(boolean present) {
        Map<String, Object> json = toJson();
        json.put("present", present);
        if (eventsSeenUpTo != null) {
            json.put("events_seen_up_to", V3Json.time(eventsSeenUpTo));
        }
        return json;
    }
}
