/*
 * Additions to wagtail-localize's React translation editor that its props cannot carry
 * (see templates/wagtail_localize/admin/edit_translation.html):
 *
 * - "Zur Freigabe einreichen": when the server rendered the button (the user may submit
 *   but not publish), it becomes the footer's main action inside localize's own form
 *   (which posts to this edit view, where sites.translation_review takes it), and what
 *   was the main action ("Sperren") moves into the "more actions" menu.
 * - The section heading "<source> to <target> translation", an English template literal
 *   in localize's JavaScript outside any catalogue, is replaced by its translation.
 *
 * Nothing here is needed for the editor to work; without it, localize's editor is as
 * shipped.
 */
function translationEditorExtras() {
    'use strict';

    const extras = document.getElementById('translation-editor-extras');
    const root = document.querySelector('.js-translation-editor');
    if (!extras || !root) {
        return;
    }
    const heading = extras.dataset.heading;
    const original = extras.dataset.headingOriginal;
    const reviewButton = extras.content.querySelector('[data-translation-review]');

    function translateHeadings() {
        if (!heading || !original || heading === original) {
            return;
        }
        root.querySelectorAll('h2, h3, .w-panel__heading, .section__title').forEach((element) => {
            element.childNodes.forEach((node) => {
                if (node.nodeType === Node.TEXT_NODE && node.textContent.trim() === original) {
                    node.textContent = heading;
                }
            });
        });
    }

    function addReviewButton() {
        if (!reviewButton || root.querySelector('[data-translation-review]')) {
            return true;
        }
        const menu = root.querySelector('footer .w-dropdown-button');
        if (!menu) {
            return false;
        }
        const content = menu.querySelector('[data-w-dropdown-target="content"]');
        const main = Array.from(menu.children).find(
            (child) => child.matches('button, a') && !child.matches('.w-dropdown__toggle'),
        );
        menu.insertBefore(document.importNode(reviewButton, true), menu.firstChild);
        if (main && content) {
            main.classList.remove('button-longrunning');
            content.appendChild(main);
        }
        return true;
    }

    function apply() {
        translateHeadings();
        return addReviewButton();
    }

    if (!apply() || heading) {
        // The React editor renders after this script; follow it (tabs mount later too).
        new MutationObserver(apply).observe(root, { childList: true, subtree: true });
    }
}

// Wagtail's admin loads scripts before the page body; localize mounts its editor on
// DOMContentLoaded too, and this listener, added after localize's, runs after it.
if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', translationEditorExtras);
} else {
    translationEditorExtras();
}
