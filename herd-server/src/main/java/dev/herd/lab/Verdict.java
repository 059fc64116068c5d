package dev.herd.lab;

/** One claim of the seed's table, and whether the measurements bear it out, with the figure that decided. */
public record Verdict(String claim, Outcome outcome, String evidence) {

    public enum Outcome {
        HOLDS("holds"), DOES_NOT_HOLD("does not hold"), NOT_MEASURED("not measured");

        private final String text;

        Outcome(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }
}
