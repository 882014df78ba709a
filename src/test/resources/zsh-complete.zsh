# Usage: zsh -f zsh-complete.zsh FPATH_DIR PATH_DIR "command line" PATTERN
# Types the command line and then a TAB into an interactive zsh (through a pseudo-terminal) and
# prints what the terminal shows, once PATTERN appears or after 15 seconds.
zmodload zsh/zpty
setopt extendedglob
zpty -b z env TERM=xterm LINES=60 COLUMNS=160 zsh -f -i
zpty -w z "PS1='%% '; fpath=($1 \$fpath); PATH=$2:\$PATH; autoload -U compinit; compinit -u -D; setopt nobeep autolist; unsetopt listambiguous; LISTMAX=1000"
zpty -w z "print REA''DY"
zpty -r z line '*READY*'
zpty -r z line '*% '
zpty -w -n z "$3"
sleep 0.3
zpty -w -n z $'\t'
local out="" chunk
for i in {1..150}; do
  if zpty -r -t z chunk; then out+=$chunk; fi
  [[ ${out//$'\e'\[[0-9;?]#[A-Za-z]/} == *$~4* ]] && break
  # A second TAB lists the choices where the first only inserted their common prefix.
  (( i == 20 )) && zpty -w -n z $'\t'
  sleep 0.1
done
print -r -- "$out"
zpty -d z
