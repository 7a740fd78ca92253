# fish completion for ctempfile

set -l subs file named-file directory gettempdir clean

function __ctempfile_no_sub
    set -l cmd (commandline -opc)
    test (count $cmd) -eq 1
end

function __ctempfile_sub -a name
    set -l cmd (commandline -opc)
    test (count $cmd) -ge 2; and test "$cmd[2]" = $name
end

complete -c ctempfile -f -n __ctempfile_no_sub -a file -d 'run COMMAND with an unnamed temporary file'
complete -c ctempfile -f -n __ctempfile_no_sub -a named-file -d 'create a temporary file, or run COMMAND with one'
complete -c ctempfile -f -n __ctempfile_no_sub -a directory -d 'create a temporary directory, or run COMMAND in one'
complete -c ctempfile -f -n __ctempfile_no_sub -a gettempdir -d 'print the default directory for temporary files'
complete -c ctempfile -f -n __ctempfile_no_sub -a clean -d 'remove stale temporaries that nobody uses'

# The mktemp form.
set -l mk "not __fish_seen_subcommand_from $subs"
complete -c ctempfile -n $mk -s d -l directory -d 'create a directory, not a file'
complete -c ctempfile -n $mk -s u -l dry-run -d 'print a name, create nothing'
complete -c ctempfile -n $mk -s q -l quiet -d 'suppress creation diagnostics'
complete -c ctempfile -n $mk -l suffix -x -d 'append SUFF to TEMPLATE'
complete -c ctempfile -n $mk -s p -l tmpdir -x -a '(__fish_complete_directories)' -d 'interpret TEMPLATE relative to DIR'
complete -c ctempfile -n $mk -s t -d 'TEMPLATE is a single component'
complete -c ctempfile -n $mk -s m -l mode -x -d 'create with octal MODE exactly'
complete -c ctempfile -n $mk -s n -l count -x -d 'create N names'
complete -c ctempfile -n $mk -s z -l zero -d 'end names with NUL'
complete -c ctempfile -n $mk -l pid -x -a '(__fish_complete_pids)' -d 'remove what was made when PID ends'
complete -c ctempfile -n $mk -s V -l version -d 'output version information'
complete -c ctempfile -n $mk -l help -d 'display help'

# Options of the subcommands that create.
for sub in file named-file directory
    set -l c "__ctempfile_sub $sub"
    complete -c ctempfile -n $c -s p -l dir -l tmpdir -x -a '(__fish_complete_directories)' -d 'create in DIR'
    complete -c ctempfile -n $c -s P -l prefix -x -d 'begin the name with PREFIX'
    complete -c ctempfile -n $c -s s -l suffix -x -d 'end the name with SUFFIX'
    complete -c ctempfile -n $c -s r -l random -x -d 'random characters, 3 to 64'
    complete -c ctempfile -n $c -s m -l mode -x -d 'create with octal MODE exactly'
    complete -c ctempfile -n $c -s q -l quiet -d 'say nothing when creation fails'
    complete -c ctempfile -n $c -s k -l keep -d 'leave it in place afterwards'
    complete -c ctempfile -n $c -s K -l keep-on-failure -d 'leave it if COMMAND fails'
    complete -c ctempfile -n $c -s I -l replace -x -d 'string replaced by the path'
    complete -c ctempfile -n $c -s e -l env -x -d 'variable that carries the path'
    complete -c ctempfile -n $c -l help -d 'display help'
    complete -c ctempfile -n $c -a '(__fish_complete_subcommand --fcs-skip=2)'
end
for sub in named-file directory
    set -l c "__ctempfile_sub $sub"
    complete -c ctempfile -n $c -s n -l count -x -d 'make N'
    complete -c ctempfile -n $c -s u -l dry-run -d 'print names, create nothing'
    complete -c ctempfile -n $c -s z -l zero -d 'end names with NUL'
    complete -c ctempfile -n $c -l pid -x -a '(__fish_complete_pids)' -d 'without COMMAND: remove it when PID ends'
end
for sub in file named-file
    set -l c "__ctempfile_sub $sub"
    complete -c ctempfile -n $c -l fd -x -d 'descriptor for the file'
    complete -c ctempfile -n $c -s i -l stdin -d 'fill from standard input'
    complete -c ctempfile -n $c -s o -l output -r -F -d 'on success, replace FILE with it'
    complete -c ctempfile -n $c -l no-sync -d 'with --output, do not flush'
    complete -c ctempfile -n $c -l allow-empty -d 'with --stdin and --output, let empty input replace FILE'
end
complete -c ctempfile -n '__ctempfile_sub directory' -s C -l cd -d 'run COMMAND inside the directory'
complete -c ctempfile -n '__ctempfile_sub directory' -s o -l output -x -a '(__fish_complete_directories)' -d 'on success, replace DIR with it'
complete -c ctempfile -n '__ctempfile_sub directory' -l no-sync -d 'with --output, do not flush'
complete -c ctempfile -n '__ctempfile_sub file' -l memory -d 'keep the file in memory'

set -l g '__ctempfile_sub gettempdir'
complete -c ctempfile -n $g -f -s q -l quiet -d 'say nothing if none is usable'
complete -c ctempfile -n $g -f -s v -l verbose -d 'say why candidates were passed over'
complete -c ctempfile -n $g -f -s z -l zero -d 'end the output with NUL'
complete -c ctempfile -n $g -f -l help -d 'display help'

set -l cl '__ctempfile_sub clean'
complete -c ctempfile -n $cl -x -a '(__fish_complete_directories)'
complete -c ctempfile -n $cl -l age -x -d 'only what has not changed for DURATION (like 12h, 1w2d)'
complete -c ctempfile -n $cl -l all-users -d 'whoever owns it (root only)'
complete -c ctempfile -n $cl -l exclude -x -d 'never an entry whose name matches GLOB'
complete -c ctempfile -n $cl -s n -l dry-run -d 'remove nothing, print what would go'
complete -c ctempfile -n $cl -s z -l zero -d 'with -n, end names with NUL'
complete -c ctempfile -n $cl -s v -l verbose -d 'say of every entry whether it goes, or why not'
complete -c ctempfile -n $cl -s q -l quiet -d 'say nothing when removal fails'
complete -c ctempfile -n $cl -l help -d 'display help'
