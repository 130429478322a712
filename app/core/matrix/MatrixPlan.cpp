#include "matrix/MatrixPlan.h"

int MatrixPlan::indexOf(const QString &requestId) const
{
    for (int i = 0; i < requests.size(); ++i) {
        if (requests.at(i).id == requestId)
            return i;
    }
    return -1;
}
