// ESLint (typescript-eslint, type-aware where it pays) for the program, the CLIs and the tests; formatting is Prettier's.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "out/", "core/generated/"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    prettier,
    { files: ["**/*.js"], languageOptions: { sourceType: "commonjs", globals: globals.node }, rules: { "@typescript-eslint/no-require-imports": "off" } },
    {
        files: ["**/*.ts"],
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
            // Tests read rendered manifests as loose JSON on purpose.
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-require-imports": "off",
        },
    },
);
