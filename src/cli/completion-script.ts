/**
 * Shell completion scripts (`gpucost completion bash|zsh|fish`), written from the command tree and
 * the preset ids at the time they are asked for. The values completed are plain words: nothing
 * here is evaluated by the shell but the word lists, which hold only preset ids and option names.
 */

/** What completion knows: each command's options, and the words that complete option values. */
export interface CompletionSpec {
  commands: { name: string; options: string[] }[];
  /** Option name (long, with dashes) → the words it takes. */
  values: Record<string, string[]>;
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Only what a shell word list may hold safely: ids and option names are [A-Za-z0-9._:+-]. */
const safeWords = (words: readonly string[]): string[] => words.filter((w) => /^[A-Za-z0-9._:+-]+$/.test(w));

export function completionScript(shell: Shell, spec: CompletionSpec): string {
  if (shell === 'fish') return fishScript(spec);
  const bash = bashScript(spec);
  // zsh runs the bash function through its bash-completion emulation.
  return shell === 'zsh' ? `#compdef gpucost\nautoload -U +X bashcompinit && bashcompinit\n${bash}` : bash;
}

function bashScript(spec: CompletionSpec): string {
  const names = spec.commands.map((c) => c.name);
  const valueCases = Object.entries(spec.values)
    .map(([flag, words]) => `    ${flag}) COMPREPLY=( $(compgen -W "${safeWords(words).join(' ')}" -- "$cur") ); return ;;`)
    .join('\n');
  const commandCases = spec.commands.map((c) => `    ${c.name}) opts="${safeWords(c.options).join(' ')}" ;;`).join('\n');
  return `# gpucost completion for bash (gpucost completion bash > /etc/bash_completion.d/gpucost)
_gpucost() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" opts=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${safeWords(names).join(' ')}" -- "$cur") )
    return
  fi
  case "$prev" in
${valueCases}
  esac
  case "\${COMP_WORDS[1]}" in
${commandCases}
  esac
  COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
}
complete -o default -F _gpucost gpucost
`;
}

function fishScript(spec: CompletionSpec): string {
  const names = safeWords(spec.commands.map((c) => c.name));
  const lines = ['# gpucost completion for fish (gpucost completion fish > ~/.config/fish/completions/gpucost.fish)', 'complete -c gpucost -f'];
  lines.push(`complete -c gpucost -n '__fish_use_subcommand' -a '${names.join(' ')}'`);
  for (const c of spec.commands) {
    for (const option of safeWords(c.options)) {
      if (!option.startsWith('--')) continue;
      const words = spec.values[option];
      const takes = words ? ` -x -a '${safeWords(words).join(' ')}'` : '';
      lines.push(`complete -c gpucost -n '__fish_seen_subcommand_from ${c.name}' -l ${option.slice(2)}${takes}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
