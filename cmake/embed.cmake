# Turn INPUT into a C source defining NAME[] (NUL-terminated) and NAME_len.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR len "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUTPUT}" "/* generated from ${INPUT_NAME}; do not edit */\nconst char ${NAME}[] = {${bytes}0x00};\nconst unsigned ${NAME}_len = ${len};\n")
