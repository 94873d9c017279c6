package io.lfvit.app.view;

import io.lfvit.app.control.ControlKeys;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ControlUpdate;
import io.lfvit.schemas.avro.DeadLetter;
import io.lfvit.schemas.avro.FocusTask;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.avro.PixelBox;
import io.lfvit.schemas.avro.Region;
import io.lfvit.schemas.avro.Stage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the live view shows, built from the records the feed reads: the latest answered frames of each source
 * (with a thumbnail, the NGCA window and the split cells of their focus task), per-second series over the last
 * minutes, the eta in force and every change of it with when it took effect, and the latest dead letters.
 *
 * <p>Memory is bounded whatever the traffic: {@link #MAX_SOURCES} sources (the least recently seen is dropped),
 * {@link #THUMBS_PER_SOURCE} thumbnails each (and at most one made every {@link #THUMB_EVERY_MS} ms per source,
 * which also bounds the decoding work), {@link #FOCUS_TASKS} focus tasks' cells, {@link #SECONDS} seconds of
 * series. Thread-safe: the feed thread writes, HTTP threads read snapshots.
 */
final class LiveState {
    static final int MAX_SOURCES = 32;
    static final int THUMBS_PER_SOURCE = 48;
    static final long THUMB_EVERY_MS = 150;
    static final int FRAMES_SHOWN = 6;
    static final int FOCUS_TASKS = 4096;
    static final int SECONDS = 300;
    static final int CHANGES = 12;
    static final int DEAD_LETTERS = 20;
    private static final int LATENCIES_PER_SECOND = 2000;

    record Thumb(String eventId, long seq, int width, int height, byte[] png) {}

    /** What a focus task tells about a frame: when it was localized and which cells were split. */
    record FocusInfo(long localizedAtMs, int grid, int[] splitCells) {}

    private static final class Source {
        final LinkedHashMap<String, Thumb> thumbs = new LinkedHashMap<>();
        final Deque<Map<String, Object>> frames = new ArrayDeque<>();
        long lastThumbMs; // 0: the first image of a source is always kept
        long lastSeenMs;
        long answers;
        long exits;
    }

    private static final class Second {
        final long epochSecond;
        long answers;
        long exits;
        double focusLagMax = Double.NaN;
        final float[] latencies = new float[LATENCIES_PER_SECOND];
        int latencyCount;
        Double etaGlobal;
        final Map<String, Double> etaBySource = new TreeMap<>();

        Second(long epochSecond) {
            this.epochSecond = epochSecond;
        }
    }

    /** One eta change read from the control topic, and what happened after it. */
    private static final class Change {
        final String key;
        final Double eta; // null: an override removed
        final String by;
        final long updatedAtMs;
        final long seenAtMs;
        Long effectiveAtMs;
        long answers;
        long exits;
        boolean current = true;

        Change(String key, Double eta, String by, long updatedAtMs, long seenAtMs) {
            this.key = key;
            this.eta = eta;
            this.by = by;
            this.updatedAtMs = updatedAtMs;
            this.seenAtMs = seenAtMs;
        }
    }

    private final LinkedHashMap<String, Source> sources = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<String, FocusInfo> focus = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FocusInfo> eldest) {
            return size() > FOCUS_TASKS;
        }
    };
    private final Deque<Second> seconds = new ArrayDeque<>();
    private final Map<String, Double> control = new TreeMap<>();
    private final Deque<Change> changes = new ArrayDeque<>();
    private final Deque<Map<String, Object>> deadLetters = new ArrayDeque<>();
    private long images;
    private long answers;
    private long exits;
    private long degraded;
    private long deadLetterCount;

    /** An image read from the images topic; returns true when it was kept as a thumbnail. */
    synchronized boolean image(ImageEvent e, long nowMs) {
        images++;
        Source s = source(e.getSourceId(), nowMs);
        if (nowMs - s.lastThumbMs < THUMB_EVERY_MS) {
            return false;
        }
        byte[] png = Thumbnails.png(e);
        if (png == null) {
            return false;
        }
        s.lastThumbMs = nowMs;
        s.thumbs.put(e.getEventId().toString(), new Thumb(e.getEventId().toString(), e.getFrameSeq(), e.getWidth(),
                e.getHeight(), png));
        while (s.thumbs.size() > THUMBS_PER_SOURCE) {
            Iterator<String> it = s.thumbs.keySet().iterator();
            it.next();
            it.remove();
        }
        return true;
    }

    synchronized void focusTask(FocusTask t) {
        int cells = t.getSplitCells().size() + t.getCoarseCells().size();
        int grid = (int) Math.round(Math.sqrt(cells));
        focus.put(t.getEventId().toString(), new FocusInfo(t.getLocalizedAt().toEpochMilli(), grid,
                t.getSplitCells().stream().mapToInt(Integer::intValue).toArray()));
    }

    synchronized void classification(Classification c, long nowMs) {
        String id = c.getEventId().toString();
        long at = c.getClassifiedAt() == null ? nowMs : c.getClassifiedAt().toEpochMilli();
        boolean exit = c.getStage() == Stage.LOCALIZATION && !c.getDegraded();
        answers++;
        exits += exit ? 1 : 0;
        degraded += c.getDegraded() ? 1 : 0;
        Second sec = second(at / 1000);
        sec.answers++;
        sec.exits += exit ? 1 : 0;
        Double latency = c.getTimings() == null ? null : c.getTimings().getEndToEndMs();
        if (latency != null && sec.latencyCount < sec.latencies.length) {
            sec.latencies[sec.latencyCount++] = latency.floatValue();
        }
        FocusInfo info = focus.remove(id);
        Double focusLag = null;
        if (info != null) {
            focusLag = (double) (at - info.localizedAtMs());
            sec.focusLagMax = Double.isNaN(sec.focusLagMax) ? focusLag : Math.max(sec.focusLagMax, focusLag);
        }
        countForChange(c, at, exit);

        Source s = source(c.getSourceId(), nowMs);
        s.answers++;
        s.exits += exit ? 1 : 0;
        Thumb thumb = s.thumbs.remove(id);
        if (thumb == null) {
            return;
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("eventId", id);
        f.put("seq", c.getFrameSeq());
        f.put("thumb", "/view/thumb/" + id);
        f.put("thumbPng", thumb.png());
        f.put("width", thumb.width());
        f.put("height", thumb.height());
        f.put("className", c.getClassName() != null ? c.getClassName() : String.valueOf(c.getClassIndex()));
        f.put("classIndex", c.getClassIndex());
        f.put("label", c.getLabel());
        f.put("confidence", c.getConfidence());
        f.put("stage", c.getStage() == Stage.FOCUS ? "focus" : "exit");
        f.put("degraded", c.getDegraded());
        f.put("degradedReason", c.getDegradedReason());
        f.put("eta", c.getEta());
        f.put("latencyMs", latency);
        f.put("focusLagMs", focusLag);
        f.put("classifiedAt", at);
        Region r = c.getRegion();
        if (r != null) {
            Map<String, Object> region = new LinkedHashMap<>();
            region.put("row", r.getRow());
            region.put("col", r.getCol());
            region.put("size", r.getSize());
            PixelBox b = r.getPixelBox();
            if (b != null) {
                region.put("box", List.of(b.getX(), b.getY(), b.getWidth(), b.getHeight()));
            }
            f.put("region", region);
        }
        if (info != null) {
            f.put("grid", info.grid());
            f.put("splitCells", info.splitCells());
        }
        s.frames.addFirst(f);
        while (s.frames.size() > FRAMES_SHOWN) {
            s.frames.removeLast();
        }
    }

    /** A record of the control topic: a value, or a tombstone ({@code u} null) removing a source's override. */
    synchronized void control(String key, ControlUpdate u, long nowMs) {
        Double eta = u == null ? null : u.getEta();
        if (eta == null) {
            control.remove(key);
        } else {
            control.put(key, eta);
        }
        for (Change c : changes) {
            if (c.key.equals(key)) {
                c.current = false;
            }
        }
        long updatedAt = u == null || u.getUpdatedAt() == null ? nowMs : u.getUpdatedAt().toEpochMilli();
        changes.addFirst(new Change(key, eta, u == null ? "" : u.getUpdatedBy(), updatedAt, nowMs));
        while (changes.size() > CHANGES) {
            changes.removeLast();
        }
        Second sec = second(nowMs / 1000);
        stampEtas(sec);
    }

    synchronized void deadLetter(String key, DeadLetter d, long nowMs) {
        deadLetterCount++;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reasonCode", String.valueOf(d.getReasonCode()));
        m.put("reason", d.getReason());
        m.put("stage", d.getStage());
        m.put("topic", d.getTopic());
        m.put("partition", d.getPartition());
        m.put("offset", d.getOffset());
        m.put("source", key != null ? key : d.getKey() == null ? null : utf8(d.getKey().duplicate()));
        m.put("eventId", d.getEventId() == null ? null : d.getEventId().toString());
        m.put("failedAt", d.getFailedAt() == null ? nowMs : d.getFailedAt().toEpochMilli());
        deadLetters.addFirst(m);
        while (deadLetters.size() > DEAD_LETTERS) {
            deadLetters.removeLast();
        }
    }

    /** A thumbnail still held (of a shown frame), or null. */
    synchronized byte[] thumbnail(String eventId) {
        for (Source s : sources.values()) {
            for (Map<String, Object> f : s.frames) {
                if (eventId.equals(f.get("eventId"))) {
                    return (byte[]) f.get("thumbPng");
                }
            }
        }
        return null;
    }

    /** Everything the page draws, as plain maps and lists (for JSON). */
    synchronized Map<String, Object> snapshot(long nowMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("now", nowMs);
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("images", images);
        totals.put("answers", answers);
        totals.put("exits", exits);
        totals.put("degraded", degraded);
        totals.put("deadLetters", deadLetterCount);
        m.put("totals", totals);
        m.put("recent", recent(nowMs / 1000, 10));
        Map<String, Object> eta = new LinkedHashMap<>();
        eta.put("global", control.get(ControlKeys.GLOBAL));
        Map<String, Double> bySource = new TreeMap<>();
        control.forEach((k, v) -> {
            String src = sourceOf(k);
            if (src != null) {
                bySource.put(src, v);
            }
        });
        eta.put("bySource", bySource);
        m.put("eta", eta);
        List<Map<String, Object>> srcs = new ArrayList<>();
        new TreeMap<>(sources).forEach((name, s) -> {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("source", name);
            sm.put("answers", s.answers);
            sm.put("exits", s.exits);
            List<Map<String, Object>> frames = new ArrayList<>();
            for (Map<String, Object> f : s.frames) {
                Map<String, Object> copy = new LinkedHashMap<>(f);
                copy.remove("thumbPng");
                frames.add(copy);
            }
            sm.put("frames", frames);
            srcs.add(sm);
        });
        m.put("sources", srcs);
        m.put("series", series(nowMs / 1000));
        List<Map<String, Object>> ch = new ArrayList<>();
        for (Change c : changes) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("key", c.key);
            cm.put("scope", sourceOf(c.key) == null ? "global" : sourceOf(c.key));
            cm.put("eta", c.eta);
            cm.put("by", c.by);
            cm.put("updatedAt", c.updatedAtMs);
            cm.put("seenAt", c.seenAtMs);
            cm.put("effectiveAt", c.effectiveAtMs);
            cm.put("current", c.current);
            cm.put("answers", c.answers);
            cm.put("exitRate", c.answers == 0 ? null : (double) c.exits / c.answers);
            ch.add(cm);
        }
        m.put("changes", ch);
        m.put("deadLetters", new ArrayList<>(deadLetters));
        return m;
    }

    private Map<String, Object> recent(long nowSecond, int window) {
        long n = 0;
        long ex = 0;
        double lag = Double.NaN;
        List<Float> lat = new ArrayList<>();
        for (Second s : seconds) {
            if (s.epochSecond > nowSecond - window && s.epochSecond <= nowSecond) {
                n += s.answers;
                ex += s.exits;
                for (int i = 0; i < s.latencyCount; i++) {
                    lat.add(s.latencies[i]);
                }
                if (!Double.isNaN(s.focusLagMax)) {
                    lag = Double.isNaN(lag) ? s.focusLagMax : Math.max(lag, s.focusLagMax);
                }
            }
        }
        float[] l = new float[lat.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = lat.get(i);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", window);
        m.put("answersPerSecond", (double) n / window);
        m.put("exitRate", n == 0 ? null : (double) ex / n);
        m.put("p50", percentile(l, l.length, 0.50));
        m.put("p99", percentile(l, l.length, 0.99));
        m.put("focusLagMs", Double.isNaN(lag) ? null : lag);
        return m;
    }

    /** Per-second series up to the last complete second, gaps filled (no answers: 0 per second, no rate). */
    private Map<String, Object> series(long nowSecond) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Long> t = new ArrayList<>();
        List<Double> rate = new ArrayList<>();
        List<Double> exitRate = new ArrayList<>();
        List<Double> lag = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> etaGlobal = new ArrayList<>();
        Map<String, List<Double>> etaBySource = new TreeMap<>();
        Map<Long, Second> byTime = new LinkedHashMap<>();
        for (Second s : seconds) {
            byTime.put(s.epochSecond, s);
        }
        for (Second s : seconds) {
            s.etaBySource.keySet().forEach(k -> etaBySource.putIfAbsent(k, new ArrayList<>()));
        }
        if (!seconds.isEmpty()) {
            long from = Math.max(seconds.peekFirst().epochSecond, nowSecond - SECONDS);
            Second last = null;
            for (long sec = from; sec < nowSecond; sec++) {
                Second s = byTime.get(sec);
                if (s != null) {
                    last = s;
                }
                t.add(sec);
                rate.add(s == null ? 0.0 : (double) s.answers);
                exitRate.add(s == null || s.answers == 0 ? null : (double) s.exits / s.answers);
                lag.add(s == null || Double.isNaN(s.focusLagMax) ? null : s.focusLagMax);
                p50.add(s == null ? null : percentile(s.latencies, s.latencyCount, 0.50));
                p99.add(s == null ? null : percentile(s.latencies, s.latencyCount, 0.99));
                Second etas = s != null ? s : last;
                etaGlobal.add(etas == null ? null : etas.etaGlobal);
                for (Map.Entry<String, List<Double>> e : etaBySource.entrySet()) {
                    e.getValue().add(etas == null ? null : etas.etaBySource.get(e.getKey()));
                }
            }
        }
        m.put("t", t);
        m.put("answersPerSecond", rate);
        m.put("exitRate", exitRate);
        m.put("focusLagMs", lag);
        m.put("p50", p50);
        m.put("p99", p99);
        m.put("etaGlobal", etaGlobal);
        m.put("etaBySource", etaBySource);
        return m;
    }

    static Double percentile(float[] values, int count, double q) {
        if (count == 0) {
            return null;
        }
        float[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int i = (int) Math.ceil(q * count) - 1;
        return (double) sorted[Math.max(0, Math.min(count - 1, i))];
    }

    /** Counts an answer for the change of the key that set its eta, and marks when that change took effect. */
    private void countForChange(Classification c, long at, boolean exit) {
        String sourceKey = ControlKeys.forSourceOrGlobal(c.getSourceId());
        String key = control.containsKey(sourceKey) ? sourceKey : ControlKeys.GLOBAL;
        for (Change ch : changes) {
            if (ch.key.equals(key) && ch.current) {
                if (ch.eta != null && Math.abs(ch.eta - c.getEta()) < 1e-9) {
                    if (ch.effectiveAtMs == null) {
                        ch.effectiveAtMs = at;
                    }
                    ch.answers++;
                    ch.exits += exit ? 1 : 0;
                }
                return;
            }
        }
    }

    private Source source(String name, long nowMs) {
        Source s = sources.get(name);
        if (s == null) {
            s = new Source();
            sources.put(name, s);
            if (sources.size() > MAX_SOURCES) {
                Iterator<String> it = sources.keySet().iterator();
                it.next();
                it.remove();
            }
        }
        s.lastSeenMs = nowMs;
        return s;
    }

    private Second second(long epochSecond) {
        Second last = seconds.peekLast();
        if (last != null && last.epochSecond == epochSecond) {
            return last;
        }
        for (Iterator<Second> it = seconds.descendingIterator(); it.hasNext(); ) {
            Second s = it.next();
            if (s.epochSecond == epochSecond) {
                return s;
            }
            if (s.epochSecond < epochSecond) {
                break;
            }
        }
        Second s = new Second(epochSecond);
        stampEtas(s);
        if (last == null || epochSecond > last.epochSecond) {
            seconds.addLast(s);
        } else {
            // a late answer of an earlier second we never saw: keep time order
            List<Second> all = new ArrayList<>(seconds);
            all.add(s);
            all.sort((a, b) -> Long.compare(a.epochSecond, b.epochSecond));
            seconds.clear();
            seconds.addAll(all);
        }
        long newest = seconds.peekLast().epochSecond;
        while (seconds.size() > 1 && (seconds.size() > SECONDS + 5 || seconds.peekFirst().epochSecond < newest - SECONDS - 5)) {
            seconds.removeFirst();
        }
        return s;
    }

    private void stampEtas(Second s) {
        s.etaGlobal = control.get(ControlKeys.GLOBAL);
        s.etaBySource.clear();
        control.forEach((k, v) -> {
            String src = sourceOf(k);
            if (src != null) {
                s.etaBySource.put(src, v);
            }
        });
    }

    /** The source of a control key, or null for the global key. */
    static String sourceOf(String key) {
        return key.startsWith(ControlKeys.SOURCE_PREFIX) ? key.substring(ControlKeys.SOURCE_PREFIX.length()) : null;
    }

    private static String utf8(java.nio.ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return new String(a, StandardCharsets.UTF_8);
    }
}
