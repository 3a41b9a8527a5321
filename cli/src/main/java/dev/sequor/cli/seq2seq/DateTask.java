package dev.sequor.cli.seq2seq;

import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The demo's translation task: a date written by a person, in one of many formats, to ISO 8601.
 * {@code "saturday 21 november 2026"}, {@code "21/11/26"}, {@code "Nov 21, 2026"} all become
 * {@code "2026-11-21"}. Day, month and year sit in different places and spellings in each format,
 * so the decoder must learn where to look (an alignment), and two-digit years need the century
 * inferred (00-49 is 20xx, 50-99 is 19xx). Dates are drawn uniformly from 1950-01-01 to 2049-12-31.
 */
public final class DateTask {

    /** One example. @param source the human-written date @param target its ISO form */
    public record Pair(String source, String target) {
    }

    private static final LocalDate FIRST = LocalDate.of(1950, 1, 1);
    private static final int DAYS = (int) (LocalDate.of(2049, 12, 31).toEpochDay() - FIRST.toEpochDay()) + 1;
    private static final int FORMATS = 14;

    private DateTask() {
    }

    /** @return {@code n} examples drawn reproducibly from {@code seed} */
    public static List<Pair> sample(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Pair> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            LocalDate d = FIRST.plusDays(rng.nextInt(DAYS));
            out.add(new Pair(format(d, rng.nextInt(FORMATS)), d.toString()));
        }
        return out;
    }

    /** @return {@code d} written in human format number {@code f} (0 to 13) */
    static String format(LocalDate d, int f) {
        int day = d.getDayOfMonth();
        int month = d.getMonthValue();
        int year = d.getYear();
        String monthLong = d.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        String monthShort = d.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
        String weekday = d.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        String yy = String.format("%02d", year % 100);
        return switch (f) {
            case 0 -> (weekday + " " + day + " " + monthLong + " " + year).toLowerCase(Locale.ROOT);
            case 1 -> String.format("%02d/%02d/%s", day, month, yy);
            case 2 -> monthShort + " " + day + ", " + year;
            case 3 -> day + " " + monthLong + " " + year;
            case 4 -> monthLong + " " + day + ", " + year;
            case 5 -> String.format("%d.%d.%d", day, month, year);
            case 6 -> String.format("%02d.%02d.%d", day, month, year);
            case 7 -> (day + " " + monthShort + " " + yy).toLowerCase(Locale.ROOT);
            case 8 -> weekday + ", " + monthShort + " " + day + ", " + year;
            case 9 -> String.format("%d/%d/%d", day, month, year);
            case 10 -> (monthShort + " " + day + " " + year).toUpperCase(Locale.ROOT);
            case 11 -> day + ordinal(day) + " of " + monthLong + " " + year;
            case 12 -> (weekday.substring(0, 3) + " " + day + " " + monthShort + " " + yy).toLowerCase(Locale.ROOT);
            case 13 -> String.format("%d-%s-%d", day, monthShort, year);
            default -> throw new IllegalArgumentException("no date format " + f);
        };
    }

    private static String ordinal(int day) {
        if (day >= 11 && day <= 13) {
            return "th";
        }
        return switch (day % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
    }

    /** @return every character any format can produce, for a fixed vocabulary */
    public static List<String> alphabet() {
        List<String> all = new ArrayList<>();
        for (int m = 1; m <= 12; m++) {
            for (int w = 0; w < 7; w++) {
                LocalDate d = LocalDate.of(2024, m, 1).plusDays(w);
                for (int f = 0; f < FORMATS; f++) {
                    all.add(format(d, f));
                }
            }
        }
        all.add("0123456789-");
        return all;
    }
}
