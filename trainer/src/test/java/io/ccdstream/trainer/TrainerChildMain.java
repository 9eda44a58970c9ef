package io.ccdstream.trainer;

import java.util.HashMap;
import java.util.Map;

/**
 * A trainer in its own JVM, for tests that kill it uncleanly. Arguments: {@code key=value} trainer
 * settings. Prints {@code STATUS <summary>} whenever the status changes; runs until killed or until
 * its standard input closes.
 */
public final class TrainerChildMain {

    private TrainerChildMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, Object> settings = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            settings.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        try (TrainerService trainer = TrainerService.start(new TrainerConfig(settings))) {
            Thread printer = new Thread(() -> printStatus(trainer), "status-printer");
            printer.setDaemon(true);
            printer.start();
            while (System.in.read() >= 0) {
                Thread.onSpinWait();
            }
        }
    }

    private static void printStatus(TrainerService trainer) {
        String last = "";
        while (true) {
            String now = trainer.status().summary();
            if (!now.equals(last)) {
                System.out.println("STATUS " + now);
                System.out.flush();
                last = now;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
