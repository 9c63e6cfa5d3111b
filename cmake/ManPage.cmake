# cmake -DHELP2MAN=... -DPROGRAM=... -DVERSION=... -DOUTPUT=... -P ManPage.cmake
#
# One man page from `PROGRAM --help` (PROGRAM may be a wrapper that adds a
# licmove subcommand) with help2man, for cmake/Install.cmake. The page's NAME
# line is the help's first line, less a leading "program: ". The help is
# taken as a user would see it on any machine: defaults that come from
# $HOME (~/.local/state/licmove) are shown as ~, not as the build machine's
# home. --version-string: the page does not need the program's --version;
# --locale: UTF-8 text (DESIGN §2) stays UTF-8, where help2man's default C
# locale turns it into "??".
set(ENV{HOME} "~")
unset(ENV{XDG_STATE_HOME})
execute_process(COMMAND ${PROGRAM} --help
  OUTPUT_VARIABLE help RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} --help failed (${code})")
endif()
string(REGEX MATCH "^[^\n]*" name "${help}")
get_filename_component(program_name ${PROGRAM} NAME)
string(REGEX REPLACE "^${program_name}: " "" name "${name}")
execute_process(
  COMMAND ${HELP2MAN} --no-info --no-discard-stderr --locale=C.UTF-8
          --version-string=${VERSION} --section=1 "--name=${name}"
          --output=${OUTPUT} ${PROGRAM}
  RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "help2man failed on ${PROGRAM} (${code})")
endif()
