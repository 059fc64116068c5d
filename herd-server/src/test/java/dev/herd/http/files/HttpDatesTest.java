package dev.herd.http.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The three HTTP-date forms of RFC 9110 section 5.6.7, and IMF-fixdate out. */
class HttpDatesTest {

    private static final Instant RFC_EXAMPLE = Instant.parse("1994-11-06T08:49:37Z");

    @Test
    void formatsImfFixdate() {
        assertThat(HttpDates.format(RFC_EXAMPLE)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDates.format(Instant.parse("2024-03-01T02:03:04.999Z")))
                .isEqualTo("Fri, 01 Mar 2024 02:03:04 GMT");
        assertThatThrownBy(() -> HttpDates.format(Instant.parse("+10000-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesTheThreeFormsOfTheRfcExample() {
        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).contains(RFC_EXAMPLE);
        assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT", 2025)).contains(RFC_EXAMPLE);
        assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994")).contains(RFC_EXAMPLE);
        assertThat(HttpDates.parse("Sun Nov 16 08:49:37 1994")).contains(Instant.parse("1994-11-16T08:49:37Z"));
        assertThat(HttpDates.parse("  Sun, 06 Nov 1994 08:49:37 GMT\t")).contains(RFC_EXAMPLE);
    }

    @Test
    void rfc850TwoDigitYearsAreNeverMoreThanFiftyYearsAhead() {
        assertThat(HttpDates.parse("Thursday, 01-Jan-70 00:00:00 GMT", 2025))
                .contains(Instant.parse("2070-01-01T00:00:00Z"));
        assertThat(HttpDates.parse("Thursday, 01-Jan-70 00:00:00 GMT", 2019)).contains(Instant.EPOCH);
        assertThat(HttpDates.parse("Saturday, 01-Jan-50 00:00:00 GMT", 2025))
                .contains(Instant.parse("2050-01-01T00:00:00Z"));
        assertThat(HttpDates.parse("Saturday, 01-Jan-00 00:00:00 GMT", 2025))
                .contains(Instant.parse("2000-01-01T00:00:00Z"));
        assertThat(HttpDates.parse("Monday, 01-Jan-76 00:00:00 GMT", 2025))
                .contains(Instant.parse("1976-01-01T00:00:00Z"));
    }

    @Test
    void aLeapSecondCountsAsTheSecondBefore() {
        assertThat(HttpDates.parse("Sat, 31 Dec 2016 23:59:60 GMT")).contains(Instant.parse("2016-12-31T23:59:59Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "yesterday", "0", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37 +0000",
        "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
        "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 06 Nov 1994 08:49:61 GMT", "Sun, 06 Nov 1994 08-49-37 GMT",
        "sun, 06 nov 1994 08:49:37 gmt", "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT", "Sun, 06-Nov-94 08:49:37 GMT", "Sun Nov 6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94", "Sun, 0x Nov 1994 08:49:37 GMT", "Sun, \u0661\u0662 Nov 1994 08:49:37 GMT",
        "1994-11-06T08:49:37Z", "Sundae, 06-Nov-94 08:49:37 GMT",
    })
    void rejectsWhatIsNotAnHttpDate(String text) {
        assertThat(HttpDates.parse(text)).isEmpty();
    }

    @Test
    void nullIsNoDate() {
        assertThat(HttpDates.parse(null)).isEmpty();
    }

    @Test
    void aWrongWeekdayIsTolerated() {
        assertThat(HttpDates.parse("Mon, 06 Nov 1994 08:49:37 GMT")).contains(RFC_EXAMPLE);
    }

    @Test
    void roundTrips() {
        Instant t = Instant.parse("2031-07-09T23:05:01Z");
        assertThat(HttpDates.parse(HttpDates.format(t))).contains(t);
    }
}
