package io.lfvit.app.cli;

import io.lfvit.app.faults.FaultMatrix;
import io.lfvit.app.faults.FaultReport;
import io.lfvit.data.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "faults", mixinStandardHelpOptions = true,
        description = "The fault matrix: each fault made for real on a broker in its own JVM, with the localizer and focus workers"
                + " as their own JVMs and the shipped model: SIGKILL of a localizer (1) and of a focus worker holding a batch (2),"
                + " a broker restart (3), a 30 s schema registry outage with new schema versions (4), scaling out and in (5),"
                + " a 10x slower focus worker without and with a deadline (6). Counts what came out read_committed: lost and"
                + " duplicated must be 0 and every dead letter's reason true. Exit code 1 when a case fails."
                + " --soak MINUTES runs the split layout at half its capacity instead.")
public final class FaultsCommand implements Callable<Integer> {
    @Option(names = "--cases", split = ",", paramLabel = "N", defaultValue = "1,2,3,4,5,6",
            description = "Cases to run (1..6, 6a, 6b). Default: ${DEFAULT-VALUE}.")
    List<String> cases;

    @Option(names = "--images", paramLabel = "N", defaultValue = "300", description = "Images per case. Default: ${DEFAULT-VALUE}.")
    int images;

    @Option(names = "--rate", paramLabel = "PER_S", defaultValue = "15", description = "Images per second offered. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--json", paramLabel = "FILE", description = "Writes {\"cases\": [...]} (and the soak) as JSON.")
    Path json;

    @Option(names = "--soak", paramLabel = "MINUTES", description = "Runs the soak for this long instead of the cases.")
    Double soakMinutes;

    @Option(names = "--model", paramLabel = "DIR", defaultValue = "models/lfvit", description = "Model bundle. Default: ${DEFAULT-VALUE}.")
    Path model;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Broker logs, app state and logs. Default: a new temporary directory (kept).")
    Path workDir;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Fashion-MNIST IDX files. Default: ${DEFAULT-VALUE}.")
    Path dataDir = FashionMnist.DEFAULT_DIR;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE", description = "An app setting for every application process.")
    Map<String, String> settings = new TreeMap<>();

    @Override
    public Integer call() throws Exception {
        Path work = workDir != null ? workDir : Files.createTempDirectory("lfvit-faults-");
        return run(new FaultMatrix.Settings(model, dataDir, work, images, rate, 4,
                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), settings), cases, soakMinutes, json, System.out);
    }

    /** Runs the cases (or the soak), prints the table, writes the JSON; 0 when every case held its promises. */
    public static int run(FaultMatrix.Settings settings, List<String> cases, Double soakMinutes, Path json, java.io.PrintStream out)
            throws Exception {
        out.println("lfvit faults: work directory " + settings.work());
        try (FaultMatrix matrix = new FaultMatrix(settings, out)) {
            if (soakMinutes != null) {
                FaultMatrix.SoakResult soak = matrix.soak(soakMinutes);
                FaultReport.soak(soak, out);
                if (json != null) {
                    FaultReport.write(json, FaultReport.soakJson(soak));
                }
                return soak.counts().ok() ? 0 : 1;
            }
            List<FaultMatrix.Fault> faults = new ArrayList<>();
            for (String c : cases) {
                faults.addAll(FaultMatrix.Fault.parse(c.trim()));
            }
            List<FaultMatrix.CaseResult> results = matrix.run(faults.stream().distinct().toList());
            FaultReport.table(results, out);
            if (json != null) {
                FaultReport.write(json, FaultReport.json(results));
                out.println("lfvit faults: wrote " + json);
            }
            return results.stream().allMatch(FaultMatrix.CaseResult::ok) ? 0 : 1;
        }
    }
}
