package dev.herd.lab;

import java.util.List;

/** A whole lab run: where, when, with what options, every measurement, and the seed's claims judged. */
public record LabReport(Machine machine, String finishedAt, LabOptions options, List<Measurement> measurements,
                        List<Verdict> verdicts) {
}
