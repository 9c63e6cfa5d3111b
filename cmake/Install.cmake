# What `cmake --install` puts where, and the Debian package CPack makes of it
# (issue 14; docs/CONTRIBUTING.md, "Packaging"). Included by the top-level
# CMakeLists.txt after every target exists.
#
#   bin/                            licmove, portal-sim, licmove-fleetgen
#   share/licmove/schemas/          the JSON Schemas and the OpenAPI contract
#   share/licmove/plans/            the ready-made plans
#   share/licmove/examples/fleets/  the example fleets (the plans' and fleets'
#                                   `$schema=` lines stay right: same layout
#                                   as the repository)
#   share/man/man1/                 one page per program and per licmove
#                                   subcommand, made by help2man
#   share/bash-completion/completions/licmove, share/zsh/vendor-completions/_licmove
#   share/doc/licmove/              README.md and docs/
include(GNUInstallDirs)

install(TARGETS licmove portal-sim licmove-fleetgen
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(LICMOVE_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/licmove)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/schemas/
  DESTINATION ${LICMOVE_INSTALL_DATADIR}/schemas
  FILES_MATCHING PATTERN "*.json" PATTERN "*.yaml")
install(DIRECTORY ${CMAKE_SOURCE_DIR}/plans/
  DESTINATION ${LICMOVE_INSTALL_DATADIR}/plans
  FILES_MATCHING PATTERN "*.yaml")
install(DIRECTORY ${CMAKE_SOURCE_DIR}/examples/fleets/
  DESTINATION ${LICMOVE_INSTALL_DATADIR}/examples/fleets
  FILES_MATCHING PATTERN "*.yaml")
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/
  DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
  FILES_MATCHING PATTERN "*.md")

# Man pages and completions are made from the programs' own --help at build
# time, so they cannot drift from the programs. They are part of `all`, but
# not of what `./dev.sh demo` builds.
find_program(HELP2MAN_EXECUTABLE help2man)
if(NOT HELP2MAN_EXECUTABLE)
  message(FATAL_ERROR "help2man not found (the man pages): run scripts/install-deps.sh")
endif()

set(LICMOVE_MAN_DIR ${CMAKE_BINARY_DIR}/man)
file(MAKE_DIRECTORY ${LICMOVE_MAN_DIR} ${CMAKE_BINARY_DIR}/completions)
set(LICMOVE_MAN_PAGES)

# licmove_man_page(PAGE TARGET [SUBCOMMAND...]): PAGE.1 from
# `TARGET [SUBCOMMAND...] --help` (cmake/ManPage.cmake).
function(licmove_man_page page target)
  set(program $<TARGET_FILE:${target}>)
  if(ARGN)
    # help2man runs one executable: a wrapper that adds the subcommand.
    list(JOIN ARGN " " words)
    set(program ${LICMOVE_MAN_DIR}/bin/${page})
    file(GENERATE OUTPUT ${program}
      CONTENT "#!/bin/sh\nexec '$<TARGET_FILE:${target}>' ${words} \"$@\"\n"
      FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                       WORLD_READ WORLD_EXECUTE)
  endif()
  set(output ${LICMOVE_MAN_DIR}/${page}.1)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DHELP2MAN=${HELP2MAN_EXECUTABLE} -DPROGRAM=${program}
            -DVERSION=${PROJECT_VERSION} -DOUTPUT=${output}
            -P ${CMAKE_SOURCE_DIR}/cmake/ManPage.cmake
    DEPENDS ${target} ${CMAKE_SOURCE_DIR}/cmake/ManPage.cmake
    COMMENT "Man page ${page}.1"
    VERBATIM)
  set(LICMOVE_MAN_PAGES ${LICMOVE_MAN_PAGES} ${output} PARENT_SCOPE)
endfunction()

licmove_man_page(licmove licmove)
licmove_man_page(portal-sim portal-sim)
licmove_man_page(licmove-fleetgen licmove-fleetgen)
# One page per licmove subcommand; tests/install checks that this list names
# every subcommand `licmove --help` lists (but help and version, which
# licmove.1 covers).
foreach(sub validate plan apply resume rollback runs status unlock state show snapshot)
  licmove_man_page(licmove-${sub} licmove ${sub})
endforeach()
licmove_man_page(licmove-state-migrate licmove state migrate)
licmove_man_page(licmove-audit licmove audit)

set(LICMOVE_COMPLETIONS ${CMAKE_BINARY_DIR}/completions/licmove
                        ${CMAKE_BINARY_DIR}/completions/_licmove)
add_custom_command(
  OUTPUT ${LICMOVE_COMPLETIONS}
  COMMAND ${CMAKE_SOURCE_DIR}/scripts/gen-completions.sh $<TARGET_FILE:licmove>
          ${LICMOVE_COMPLETIONS}
  DEPENDS licmove ${CMAKE_SOURCE_DIR}/scripts/gen-completions.sh
  COMMENT "Shell completions for licmove"
  VERBATIM)

add_custom_target(licmove_docs ALL DEPENDS ${LICMOVE_MAN_PAGES} ${LICMOVE_COMPLETIONS})
install(FILES ${LICMOVE_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_BINARY_DIR}/completions/licmove
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${CMAKE_BINARY_DIR}/completions/_licmove
  DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)

# The Debian package: `cpack -G DEB` in the build directory makes
# licmove_VERSION_ARCH.deb (stripped programs) and
# licmove-dbgsym_VERSION_ARCH.ddeb (their debug info under
# /usr/lib/debug/.build-id/, found by gdb through the build id; CPack runs
# objcopy --only-keep-debug, --strip-unneeded and --add-gnu-debuglink).
# dpkg-shlibdeps (dpkg-dev) computes Depends from what the programs link.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME licmove)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "licmove")
set(CPACK_PACKAGE_CONTACT "licmove maintainers <licmove@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "move service licenses between cameras of a Remote Portal account")
set(CPACK_PACKAGE_DESCRIPTION
  "licmove moves service licenses between the cameras of a Remote Portal account, driven by YAML plan files, with the fewest portal calls; it journals every run so that it can be resumed or rolled back. Also portal-sim, a simulator of the portal, and licmove-fleetgen, a generator of large fleets and plans.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bash-completion")
include(CPack)
