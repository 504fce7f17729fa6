package io.parley.emulator.v3;

import io.parley.emulator.EmulatedEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code list_threads} and {@code list_chats}, with the documented pagination: {@code limit} and
 * {@code sort_order} on the first request, then {@code page_id} alone ({@code next_page_id},
 * {@code previous_page_id}). A page id here encodes where the page starts, its size and order.
 */
final class Paging {

    private Paging() {
    }

    /** Where a page starts, how many it holds (or, for threads, how many events it needs), in which order. */
    private record Page(String kind, int offset, int size, boolean byEvents, boolean ascending) {

        String id() {
            String raw = kind + ":" + offset + ":" + size + ":" + (byEvents ? "e" : "l") + ":" + (ascending ? "a" : "d");
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Page read(String kind, Payload payload, int defaultLimit, int maxLimit, boolean threads) {
            String pageId = payload.optionalString("page_id");
            if (pageId != null) {
                if (payload.has("limit") || payload.has("sort_order") || payload.has("min_events_count")) {
                    throw V3Error.validation("`page_id` cannot be given with `limit`, `sort_order` or filters");
                }
                try {
                    String[] parts = new String(Base64.getUrlDecoder().decode(pageId), StandardCharsets.UTF_8).split(":");
                    if (parts.length == 5 && parts[0].equals(kind)) {
                        return new Page(kind, Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                                parts[3].equals("e"), parts[4].equals("a"));
                    }
                } catch (IllegalArgumentException e) {
                    // answered below
                }
                throw V3Error.validation("`page_id` is invalid");
            }
            String order = payload.optionalString("sort_order");
            if (order != null && !order.equals("asc") && !order.equals("desc")) {
                throw V3Error.validation("`sort_order` must be asc or desc");
            }
            Integer limit = payload.optionalInt("limit");
            Integer minEvents = threads ? payload.optionalInt("min_events_count") : null;
            if (limit != null && minEvents != null) {
                throw V3Error.validation("`limit` and `min_events_count` cannot be used together");
            }
            if (limit != null && (limit < 1 || limit > maxLimit)) {
                throw V3Error.validation("`limit` must be between 1 and " + maxLimit);
            }
            if (minEvents != null && (minEvents < 1 || minEvents > 100)) {
                throw V3Error.validation("`min_events_count` must be between 1 and 100");
            }
            return new Page(kind, 0, minEvents != null ? minEvents : limit != null ? limit : defaultLimit,
                    minEvents != null, "asc".equals(order));
        }
    }

    static Map<String, Object> listThreads(V3Chat chat, Payload payload) {
        Page page = Page.read("t", payload, 3, 100, true);
        List<V3Thread> all = new ArrayList<>(chat.threads());
        if (!page.ascending()) {
            Collections.reverse(all);
        }
        List<Map<String, Object>> threads = new ArrayList<>();
        int at = Math.min(page.offset(), all.size());
        int events = 0;
        while (at < all.size() && (page.byEvents() ? events < page.size() : threads.size() < page.size())) {
            V3Thread thread = all.get(at++);
            threads.add(V3Json.thread(chat, thread));
            events += (int) thread.console().events().stream().filter(Paging::shown).count();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("threads", threads);
        answer.put("found_threads", all.size());
        pages(answer, page, at, all.size(), threads.size());
        return answer;
    }

    static Map<String, Object> listChats(List<V3Chat> newestFirst, Payload payload) {
        Page page = Page.read("c", payload, 10, 25, false);
        List<V3Chat> all = new ArrayList<>(newestFirst);
        if (page.ascending()) {
            Collections.reverse(all);
        }
        List<Map<String, Object>> summaries = new ArrayList<>();
        int at = Math.min(page.offset(), all.size());
        while (at < all.size() && summaries.size() < page.size()) {
            summaries.add(summary(all.get(at++)));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("chats_summary", summaries);
        answer.put("total_chats", all.size());
        pages(answer, page, at, all.size(), summaries.size());
        return answer;
    }

    private static void pages(Map<String, Object> answer, Page page, int end, int total, int count) {
        if (end < total) {
            answer.put("next_page_id", new Page(page.kind(), end, page.size(), page.byEvents(), page.ascending()).id());
        }
        if (page.offset() > 0) {
            int size = page.byEvents() ? Math.max(1, count) : page.size();
            answer.put("previous_page_id", new Page(page.kind(), Math.max(0, page.offset() - size), page.size(),
                    page.byEvents(), page.ascending()).id());
        }
    }

    private static boolean shown(EmulatedEvent event) {
        return !"agent_details".equals(event.type());
    }

    /** A chat summary (data-structures, "Chat summaries"). */
    private static Map<String, Object> summary(V3Chat chat) {
        List<V3Thread> threads = chat.threads();
        V3Thread last = threads.get(threads.size() - 1);
        Map<String, Object> lastPerType = new LinkedHashMap<>();
        for (int i = 0; i < threads.size(); i++) {
            V3Thread thread = threads.get(i);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> events = (List<Map<String, Object>>) V3Json.thread(chat, thread).get("events");
            for (Map<String, Object> event : events) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("thread_id", thread.id());
                entry.put("thread_order", i + 1);
                entry.put("thread_created_at", V3Json.time(thread.createdAt()));
                entry.put("event", event);
                lastPerType.put((String) event.get("type"), entry);
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", chat.id());
        json.put("last_thread_id", last.id());
        json.put("last_thread_created_at", V3Json.time(last.createdAt()));
        json.put("users", V3Json.users(chat));
        json.put("last_event_per_type", lastPerType);
        json.put("properties", chat.properties());
        json.put("access", V3Json.access(chat));
        json.put("active", last.active());
        return json;
    }
}
