package dev.tokenctl.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "completion", description = "Print the bash or zsh completion script.",
        footerHeading = "%nEnable it:%n",
        footer = {"  bash: source <(tokenctl completion bash)            # e.g. in ~/.bashrc",
                "  zsh:  tokenctl completion zsh > ~/.zfunc/_tokenctl  # with fpath+=(~/.zfunc) before compinit"})
final class CompletionCommand extends BaseCommand {
    /** The shells there is a script for. */
    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "The shell: ${COMPLETION-CANDIDATES}.")
    Shell shell;

    @Override
    ExitCode run() {
        out().print(shell == Shell.bash ? Completions.bash(spec.root()) : Completions.zsh(spec.root()));
        return ExitCode.OK;
    }
}
