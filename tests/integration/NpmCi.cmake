# ctest fixture setup for the oidc-provider integration tests (test oidc_provider_npm_install):
#   cmake -DNPM=<npm> -DPACKAGE_DIR=<build>/tests/integration/oidc [-DPACKAGE=oidc-provider] -P NpmCi.cmake
# Runs `npm ci` in PACKAGE_DIR unless its node_modules were already installed from the very
# same package.json + package-lock.json (a stamp inside node_modules records their hashes),
# so repeated ctest runs cost nothing and a changed lock file reinstalls.

foreach(var IN ITEMS NPM PACKAGE_DIR)
    if(NOT ${var})
        message(FATAL_ERROR "NpmCi.cmake: -D${var}=... is required")
    endif()
endforeach()

foreach(file IN ITEMS package.json package-lock.json)
    if(NOT EXISTS "${PACKAGE_DIR}/${file}")
        message(FATAL_ERROR "NpmCi.cmake: ${PACKAGE_DIR}/${file} is missing; re-run CMake, which copies it there")
    endif()
endforeach()

file(SHA256 "${PACKAGE_DIR}/package.json" package_hash)
file(SHA256 "${PACKAGE_DIR}/package-lock.json" lock_hash)
set(stamp_content "package.json ${package_hash}\npackage-lock.json ${lock_hash}\n")
set(stamp_file "${PACKAGE_DIR}/node_modules/.tokenbench-npm-ci.stamp")

if(NOT PACKAGE)
    set(PACKAGE oidc-provider)
endif()
if(EXISTS "${stamp_file}" AND EXISTS "${PACKAGE_DIR}/node_modules/${PACKAGE}/package.json")
    file(READ "${stamp_file}" previous_stamp)
    if(previous_stamp STREQUAL stamp_content)
        message(STATUS "${PACKAGE}: node_modules in ${PACKAGE_DIR} match package-lock.json, npm ci skipped")
        return()
    endif()
endif()

message(STATUS "${PACKAGE}: npm ci --prefix ${PACKAGE_DIR}")
execute_process(
    COMMAND "${NPM}" ci --no-audit --no-fund --prefix "${PACKAGE_DIR}"
    WORKING_DIRECTORY "${PACKAGE_DIR}"
    RESULT_VARIABLE npm_result)
if(NOT npm_result EQUAL 0)
    message(FATAL_ERROR "npm ci failed (${npm_result}) in ${PACKAGE_DIR}; the integration tests that need ${PACKAGE} cannot run. "
                        "Check that the npm registry is reachable and that package-lock.json matches package.json.")
endif()

file(WRITE "${stamp_file}" "${stamp_content}")
