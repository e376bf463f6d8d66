# Locates ns-3 3.44 inside the pinned PyPI wheel (ns3==3.44.post0) and repairs its exported targets.
#
# The wheel ships ns-3's CMake package under <wheel>/lib64/cmake/ns3, which Debian's CMake does not
# search, and a system libns3-dev (3.37) would otherwise be found instead. We therefore look only in
# the wheel directory (NS3_WHEEL_DIR, or asked from the Python interpreter) and require 3.44 exactly.
#
# The exported targets name paths of the machine that built the wheel (gtk/glib include dirs,
# /usr/lib64/libgsl.so, /lib64/libsqlite3.so, /usr/lib64/libxml2.so, PROJECT_SOURCE_PATH). The wheel's
# own libraries already find their bundled, hash-renamed gsl/sqlite/libxml2 through RPATH $ORIGIN, so
# those link items are dropped and the include path is reduced to the wheel's own include dir.

if(NOT NS3_WHEEL_DIR)
  if(NOT Python_EXECUTABLE)
    find_package(Python 3.11 REQUIRED COMPONENTS Interpreter)
  endif()
  execute_process(
    COMMAND "${Python_EXECUTABLE}" -c
            "import importlib.util as u; s = u.find_spec('ns3'); print(list(s.submodule_search_locations)[0] if s else '')"
    OUTPUT_VARIABLE NS3_WHEEL_DIR
    OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()
if(NOT NS3_WHEEL_DIR OR NOT EXISTS "${NS3_WHEEL_DIR}/lib64/cmake/ns3/ns3Config.cmake")
  message(FATAL_ERROR
    "fabtwin: the ns-3 wheel was not found (NS3_WHEEL_DIR='${NS3_WHEEL_DIR}'). "
    "Install it into the same Python environment with: pip install --no-deps ns3==3.44.post0")
endif()
set(NS3_WHEEL_DIR "${NS3_WHEEL_DIR}" CACHE PATH "Root of the installed ns3 wheel" FORCE)

find_package(ns3 3.44 EXACT CONFIG REQUIRED PATHS "${NS3_WHEEL_DIR}/lib64/cmake/ns3" NO_DEFAULT_PATH)
message(STATUS "fabtwin: ns-3 ${ns3_VERSION} from ${NS3_WHEEL_DIR}")

# Repairs one imported ns-3 target and, recursively, the ns3:: targets it links.
function(fabtwin_repair_ns3_target target)
  get_property(done GLOBAL PROPERTY "FABTWIN_REPAIRED_${target}")
  if(done)
    return()
  endif()
  set_property(GLOBAL PROPERTY "FABTWIN_REPAIRED_${target}" TRUE)
  set_target_properties(${target} PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${NS3_WHEEL_DIR}/include"
    INTERFACE_COMPILE_DEFINITIONS "NS3_LOG_ENABLE;NS3_ASSERT_ENABLE")
  get_target_property(links ${target} INTERFACE_LINK_LIBRARIES)
  set(kept "")
  foreach(item IN LISTS links)
    if(item MATCHES "^ns3::")
      fabtwin_repair_ns3_target(${item})
      list(APPEND kept ${item})
    elseif(item MATCHES "^-l" OR item MATCHES "^-Wl,")
      list(APPEND kept ${item})
    endif()
    # Dropped: absolute paths of the wheel builder's machine and bare "*.so" names; the wheel's
    # libraries resolve their bundled copies through RPATH $ORIGIN.
  endforeach()
  set_target_properties(${target} PROPERTIES INTERFACE_LINK_LIBRARIES "${kept}")
endfunction()

foreach(mod IN ITEMS core network mobility propagation spectrum antenna wifi energy internet applications
                    point-to-point)
  fabtwin_repair_ns3_target(ns3::${mod})
endforeach()
