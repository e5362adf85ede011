package io.tollgate.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tollgate load generator. Sub-commands (all options are {@code --name=value}):
 * <ul>
 *   <li>{@code seed}: tenant, pipeline key and credited wallets through the public API; writes seed.env + wallets.txt</li>
 *   <li>{@code single-closed}: single-debit endpoint, fixed concurrency (closed loop) → peak debits/s</li>
 *   <li>{@code single-open}: single-debit endpoint at a fixed rate (open loop), latency from the intended send time</li>
 *   <li>{@code batch}: batch endpoint, fixed number of batches in flight (closed loop)</li>
 *   <li>{@code ledger-summary}: phase (d)'s backlog samples, ledger latency and wallet comparison → d.json</li>
 *   <li>{@code report}: the markdown results table from the phase files</li>
 * </ul>
 * Only 127.0.0.1 is ever contacted; every phase is bounded in time.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: java -jar tollgate-load.jar seed|single-closed|single-open|batch|ledger-summary|report [--name=value ...]");
            System.exit(2);
        }
        Args args = Args.parse(List.of(argv).subList(1, argv.length));
        int rc = switch (argv[0]) {
            case "seed" -> Seed.run(args);
            case "single-closed" -> SingleDebit.closed(args);
            case "single-open" -> SingleDebit.open(args);
            case "batch" -> BatchDebit.run(args);
            case "ledger-summary" -> LedgerSummary.run(args);
            case "report" -> Report.run(args);
            default -> {
                System.err.println("unknown command " + argv[0]);
                yield 2;
            }
        };
        System.exit(rc);
    }

    /** {@code --name=value} options; a repeated name keeps every value (see {@link #all}). */
    static final class Args {
        private final Map<String, List<String>> values = new LinkedHashMap<>();

        static Args parse(List<String> argv) {
            Args args = new Args();
            for (String a : argv) {
                if (!a.startsWith("--") || !a.contains("=")) {
                    throw new IllegalArgumentException("options are --name=value, got " + a);
                }
                int eq = a.indexOf('=');
                args.values.computeIfAbsent(a.substring(2, eq), k -> new java.util.ArrayList<>()).add(a.substring(eq + 1));
            }
            return args;
        }

        String get(String name, String fallback) {
            List<String> v = values.get(name);
            return v == null ? fallback : v.get(v.size() - 1);
        }

        String require(String name) {
            String v = get(name, null);
            if (v == null || v.isEmpty()) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return v;
        }

        int integer(String name, int fallback) {
            return Integer.parseInt(get(name, String.valueOf(fallback)));
        }

        double decimal(String name, double fallback) {
            return Double.parseDouble(get(name, String.valueOf(fallback)));
        }

        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }
    }
}
