package dev.lifeboat.cli;

import dev.lifeboat.cli.command.ClustersCommand;
import dev.lifeboat.cli.command.RestoreCommand;
import dev.lifeboat.cli.command.SnapshotsCommand;
import dev.lifeboat.cli.command.VerifyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code lifeboat}: finds, checks and restores a cluster's etcd snapshots from one region's object
 * store alone (no Kafka, no Lifeboat service, no etcd binary).
 */
@Command(name = "lifeboat", mixinStandardHelpOptions = true, version = "lifeboat 0.1.0",
        description = "Find, check and restore etcd snapshots from one region's object store.",
        subcommands = {ClustersCommand.class, SnapshotsCommand.class, VerifyCommand.class, RestoreCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:internal error", "2:usage", "3:no such region", "4:no such cluster",
                "5:no such snapshot", "6:store unreachable", "7:checksum mismatch", "8:corrupt database",
                "9:data dir not empty", "10:restore failed"})
public final class Lifeboat {
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command; every failure ends as one line on {@code err} and its exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Lifeboat());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("lifeboat: " + Failure.USAGE.label() + ": " + e.getMessage());
            err.println("(lifeboat help " + e.getCommandLine().getCommandName() + " lists the flags)");
            return Failure.USAGE.exitCode();
        });
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            CommandFailure failure = e instanceof CommandFailure f ? f
                    : Failure.INTERNAL.because(e.getClass().getSimpleName() + ": " + e.getMessage());
            err.println(failure.line());
            return failure.failure().exitCode();
        });
        return cli.execute(args);
    }
}
