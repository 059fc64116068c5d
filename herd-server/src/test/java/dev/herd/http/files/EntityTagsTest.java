package dev.herd.http.files;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Entity-tag lists and the comparison table of RFC 9110 section 8.8.3.2. */
class EntityTagsTest {

    @Test
    void comparisonTableOfTheRfc() {
        EntityTags.Tag weak1 = EntityTags.Tag.parse("W/\"1\"");
        EntityTags.Tag strong1 = EntityTags.Tag.parse("\"1\"");
        assertThat(EntityTags.strongMatch(weak1, "W/\"1\"")).isFalse();
        assertThat(EntityTags.weakMatch(weak1, "W/\"1\"")).isTrue();
        assertThat(EntityTags.strongMatch(weak1, "W/\"2\"")).isFalse();
        assertThat(EntityTags.weakMatch(weak1, "W/\"2\"")).isFalse();
        assertThat(EntityTags.strongMatch(weak1, "\"1\"")).isFalse();
        assertThat(EntityTags.weakMatch(weak1, "\"1\"")).isTrue();
        assertThat(EntityTags.strongMatch(strong1, "\"1\"")).isTrue();
        assertThat(EntityTags.weakMatch(strong1, "\"1\"")).isTrue();
    }

    @Test
    void listsKeepTheTagsBeforeTheFirstBadElement() {
        assertThat(EntityTags.parseList(" \"a\" ,W/\"b\",, \"c,d\" "))
                .extracting(EntityTags.Tag::opaque).containsExactly("\"a\"", "\"b\"", "\"c,d\"");
        assertThat(EntityTags.parseList("\"a\", bad, \"c\""))
                .extracting(EntityTags.Tag::opaque).containsExactly("\"a\"");
        assertThat(EntityTags.parseList("\"a\" \"b\"")).extracting(EntityTags.Tag::opaque).containsExactly("\"a\"");
        assertThat(EntityTags.parseList("\"unterminated")).isEmpty();
        assertThat(EntityTags.parseList("\"sp ace\"")).isEmpty();
        assertThat(EntityTags.parseList("")).isEmpty();
    }

    @Test
    void singleTags() {
        assertThat(EntityTags.Tag.parse("\"\"")).isEqualTo(new EntityTags.Tag(false, "\"\""));
        assertThat(EntityTags.Tag.parse("W/\"x\"")).isEqualTo(new EntityTags.Tag(true, "\"x\""));
        assertThat(EntityTags.Tag.parse("x")).isNull();
        assertThat(EntityTags.Tag.parse("\"x\" ")).isNull();
        assertThat(EntityTags.isAny(" * ")).isTrue();
        assertThat(EntityTags.isAny("\"*\"")).isFalse();
    }
}
