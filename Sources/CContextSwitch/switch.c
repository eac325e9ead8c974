int swl4_placeholder;
