/* A client of the seL4 IPC tutorial, written for SwiftL4; CLIENT_ID (1 or 2) comes from the
 * system file. It asks the server for a badged endpoint, receiving the cap through its
 * receive path, then sends its sentence word by word, one character per message register. */
#include <assert.h>
#include <sel4/sel4.h>
#include <stdio.h>
#include <string.h>

extern seL4_CPtr endpoint;        /* the tutorial endpoint, unbadged */
extern seL4_CPtr cnode;           /* this client's own CNode */
extern seL4_CPtr badged_endpoint; /* empty: the badged endpoint arrives here */

#ifndef CLIENT_ID
#error "CLIENT_ID must be defined (1 or 2)"
#endif

static const char *const sentences[] = {"quick fox over lazy", "the brown jumps the dog"};

int main(void)
{
    printf("Client %d: waiting for badged endpoint\n", CLIENT_ID);
    seL4_SetCapReceivePath(cnode, badged_endpoint, seL4_WordBits);
    seL4_SetMR(0, CLIENT_ID);
    seL4_MessageInfo_t info = seL4_Call(endpoint, seL4_MessageInfo_new(0, 0, 0, 1));
    assert(seL4_MessageInfo_get_extraCaps(info) == 1);
    printf("Client %d: received badged endpoint\n", CLIENT_ID);

    const char *sentence = sentences[CLIENT_ID - 1];
    while (*sentence) {
        size_t length = strcspn(sentence, " ");
        for (size_t i = 0; i < length; i++) {
            seL4_SetMR(i, (seL4_Word)sentence[i]);
        }
        seL4_Call(badged_endpoint, seL4_MessageInfo_new(0, 0, 0, length));
        sentence += length;
        while (*sentence == ' ') {
            sentence++;
        }
    }
    return 0;
}
